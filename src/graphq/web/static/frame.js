// The review image editor: four corner handles over the source image, dragged with a pointer
// or moved by typing in the frame fields (both stay in step), and clicks along a curve to
// add. Coordinates are image pixels.
"use strict";
(function () {
  const editor = document.querySelector(".frame-editor");
  const form = document.getElementById("fixes");
  if (!editor || !form) return;
  const svg = editor.querySelector("svg");
  const rect = svg.querySelector("rect.frame");
  const width = Number(editor.dataset.width);
  const height = Number(editor.dataset.height);
  const field = function (name) { return form.elements.namedItem("frame_" + name); };
  const corners = { tl: ["x0", "y0"], tr: ["x1", "y0"], bl: ["x0", "y1"], br: ["x1", "y1"] };

  function value(name) { return Number(field(name).value) || 0; }

  function draw() {
    const x0 = Math.min(value("x0"), value("x1")), x1 = Math.max(value("x0"), value("x1"));
    const y0 = Math.min(value("y0"), value("y1")), y1 = Math.max(value("y0"), value("y1"));
    rect.setAttribute("x", x0); rect.setAttribute("y", y0);
    rect.setAttribute("width", x1 - x0); rect.setAttribute("height", y1 - y0);
    svg.querySelectorAll(".handle").forEach(function (handle) {
      const names = corners[handle.dataset.corner];
      handle.setAttribute("cx", value(names[0]));
      handle.setAttribute("cy", value(names[1]));
    });
  }

  function toImage(event) {
    const box = svg.getBoundingClientRect();
    const x = (event.clientX - box.left) * width / box.width;
    const y = (event.clientY - box.top) * height / box.height;
    return [Math.round(Math.min(Math.max(x, 0), width)), Math.round(Math.min(Math.max(y, 0), height))];
  }

  let dragging = null;
  svg.querySelectorAll(".handle").forEach(function (handle) {
    handle.addEventListener("pointerdown", function (event) {
      dragging = corners[handle.dataset.corner];
      svg.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
  });
  svg.addEventListener("pointermove", function (event) {
    if (!dragging) return;
    const point = toImage(event);
    field(dragging[0]).value = point[0];
    field(dragging[1]).value = point[1];
    draw();
  });
  svg.addEventListener("pointerup", function () { dragging = null; });
  ["x0", "y0", "x1", "y1"].forEach(function (name) { field(name).addEventListener("input", draw); });
  draw();

  // Adding a curve: in click mode, each click on the image (not on a corner handle) is a
  // point along the new curve, kept as JSON [[x, y], …] in image pixels for the re-run.
  const modeButton = document.getElementById("click-mode");
  const clearButton = document.getElementById("clear-clicks");
  const pointsField = form.elements.namedItem("new_curve_points");
  const count = document.getElementById("click-count");
  const marks = svg.querySelector("g.clicks");
  if (!modeButton || !pointsField || !marks) return;
  const radius = Math.max(width, height) / 160 + 2;
  let clicks = [];

  function showClicks() {
    pointsField.value = clicks.length ? JSON.stringify(clicks) : "";
    count.textContent = clicks.length + (clicks.length === 1 ? " point" : " points");
    marks.replaceChildren();
    clicks.forEach(function (point) {
      const mark = document.createElementNS("http://www.w3.org/2000/svg", "circle");
      mark.setAttribute("class", "click");
      mark.setAttribute("cx", point[0]);
      mark.setAttribute("cy", point[1]);
      mark.setAttribute("r", radius);
      marks.appendChild(mark);
    });
  }

  modeButton.addEventListener("click", function () {
    const on = modeButton.getAttribute("aria-pressed") !== "true";
    modeButton.setAttribute("aria-pressed", String(on));
    editor.classList.toggle("clicking", on);
  });
  clearButton.addEventListener("click", function () { clicks = []; showClicks(); });
  svg.addEventListener("click", function (event) {
    if (modeButton.getAttribute("aria-pressed") !== "true") return;
    if (event.target.classList && event.target.classList.contains("handle")) return;
    clicks.push(toImage(event));
    showClicks();
  });
})();
