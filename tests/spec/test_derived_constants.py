"""A [derived] formula's numbers are finite and of a size a formula on indicators needs
(findings-q5disc R5: 1e400 crashed compare with OverflowError)."""

from __future__ import annotations

import pytest

from rsw_eval._errors import SpecError
from rsw_eval.spec._derived import parse_derived


@pytest.mark.parametrize("number", ["1e400", "1e30", "-1e16"])
def test_a_number_beyond_1e15_is_refused_with_the_key(number):
    with pytest.raises(SpecError, match=r"derived\.x: .* holds the number .* at most 1e15"):
        parse_derived({"x": f"(a - b) / {number} * 100"})


def test_ordinary_numbers_are_kept():
    assert parse_derived({"x": "a / b * 10000 + 1e-9"})[0].inputs == ("a", "b")
