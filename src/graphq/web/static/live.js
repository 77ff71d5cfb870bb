// Live pages: one EventSource on /api/events (authenticated by the session cookie, so no key
// in the URL). Progress events update progress bars in place; other job and queue events
// refetch the element's fragment (data-live) and swap it in, at most once per REFRESH_MS.
"use strict";
(function () {
  const REFRESH_MS = 400;
  const regions = Array.from(document.querySelectorAll("[data-live]"));
  if (!regions.length || !window.EventSource) return;

  function setProgress(data) {
    document.querySelectorAll('[data-progress-for="' + data.jobId + '"]').forEach(function (bar) {
      bar.value = data.progress;
      bar.textContent = data.progress + " %";
    });
    document.querySelectorAll('[data-step-for="' + data.jobId + '"]').forEach(function (step) {
      step.textContent = data.currentStep || "";
    });
  }

  function setStatus(data) {
    document.querySelectorAll('[data-status-for="' + data.jobId + '"]').forEach(function (el) {
      el.textContent = data.status;
      el.className = "status status-" + data.status;
    });
  }

  function refresher(region) {
    let timer = null;
    let running = false;
    let again = false;
    async function refresh() {
      timer = null;
      if (running) { again = true; return; }
      running = true;
      try {
        const response = await fetch(region.dataset.live, {
          credentials: "same-origin", headers: { "X-Live-Refresh": "1" },
        });
        if (response.redirected || !response.ok) return;
        const html = await response.text();
        const select = region.dataset.liveSelect;
        if (select) {
          const doc = new DOMParser().parseFromString(html, "text/html");
          const fresh = doc.querySelector(select);
          if (fresh) region.innerHTML = fresh.innerHTML;
        } else {
          region.innerHTML = html;
        }
        region.dispatchEvent(new CustomEvent("live:refreshed", { bubbles: true }));
      } finally {
        running = false;
        if (again) { again = false; schedule(); }
      }
    }
    function schedule() {
      if (timer === null) timer = setTimeout(refresh, REFRESH_MS);
    }
    return schedule;
  }

  const refreshers = regions.map(function (region) {
    return { region: region, schedule: refresher(region) };
  });

  function concerns(region, data) {
    const product = region.dataset.liveProduct;
    if (!product) return true;
    if (data.productId) return data.productId === product;
    return !!region.querySelector('[data-status-for="' + data.jobId + '"]');
  }

  const source = new EventSource("/api/events");
  document.documentElement.dataset.live = "connecting";
  // On every (re)connect, refetch once: whatever happened between rendering the page and
  // subscribing (or while disconnected) is then shown too.
  source.addEventListener("open", function () {
    document.documentElement.dataset.live = "open";
    refreshers.forEach(function (r) { r.schedule(); });
  });
  source.addEventListener("error", function () { document.documentElement.dataset.live = "retrying"; });
  const names = [
    "queue:status_changed", "queue:job_added", "queue:backpressure", "job:status_changed",
    "job:retry", "job:completed", "job:failed", "job:cancelled", "job:dlq",
  ];
  source.addEventListener("job:progress_updated", function (event) {
    const data = JSON.parse(event.data);
    setProgress(data);
    refreshers.forEach(function (r) { if (!r.region.dataset.liveProduct) r.schedule(); });
  });
  names.forEach(function (name) {
    source.addEventListener(name, function (event) {
      const data = JSON.parse(event.data);
      if (data.jobId && data.status) setStatus(data);
      refreshers.forEach(function (r) { if (concerns(r.region, data)) r.schedule(); });
    });
  });
  window.addEventListener("pagehide", function () { source.close(); });
})();
