"""A mask's unbroken stretches of True are found from where it starts to where it ends,
one past the last True, however they touch the mask's ends."""

import numpy as np

from graphq.digitizer.stretches import true_stretches


def test_stretches_run_from_their_first_true_to_one_past_their_last() -> None:
    rng = np.random.default_rng(7)
    mask = rng.random(200) < 0.5
    mask[0] = mask[-1] = True
    starts, stops = true_stretches(mask)
    rebuilt = np.zeros(mask.size, dtype=bool)
    for start, stop in zip(starts.tolist(), stops.tolist(), strict=True):
        assert stop > start
        rebuilt[start:stop] = True
    np.testing.assert_array_equal(rebuilt, mask)
    # Stretches are apart by a False at least.
    assert (starts[1:] > stops[:-1]).all()
    assert starts[0] == 0 and stops[-1] == mask.size


def test_a_mask_without_true_has_no_stretches() -> None:
    starts, stops = true_stretches(np.zeros(5, dtype=bool))
    assert starts.size == stops.size == 0
