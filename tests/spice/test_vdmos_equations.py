from __future__ import annotations

import numpy as np

from graphq.spice import vdmos
from graphq.spice.vdmos_equations import VDMOS_EQUATIONS

CARD = {"cgs": 1e-9, "cgdmax": 2e-9, "cgdmin": 5e-11, "a": 0.5, "cjo": 1e-9, "vj": 0.7}


def test_capacitances_take_vgs_before_vds_as_the_fitter_passes_them() -> None:
    vgs, vds = np.array([-5.0, 0.0]), np.array([1.0, 50.0])
    got = VDMOS_EQUATIONS.capacitances(CARD, vgs, vds)
    want = vdmos.capacitances(CARD, vds, vgs=vgs)
    for name, value in want.items():
        np.testing.assert_array_equal(got[name], value)
    # Swapped, the gate-drain voltage differs and so does Crss: the order matters.
    swapped = VDMOS_EQUATIONS.capacitances(CARD, vds, vgs)
    assert not np.allclose(swapped["crss"], got["crss"], rtol=0.1, atol=0.0)


def test_the_body_diode_conducts_forward_only() -> None:
    current = VDMOS_EQUATIONS.diode_current(vdmos.VDMOS_DEFAULTS, np.array([-0.5, 0.9]))
    assert current[1] > 1e-3 > abs(current[0])
