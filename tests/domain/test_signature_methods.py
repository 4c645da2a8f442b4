"""Each way a person may give their signature needs its own evidence, and is said in words."""

from __future__ import annotations

import pytest

from heart_desktop.domain.signatures import (
    DRAWN,
    MARK,
    ON_PAPER,
    TYPED,
    SignatureError,
    check_signature,
    signed_in_words,
)


def test_what_each_way_needs() -> None:
    check_signature(DRAWN, "applicant", True, "", False, "")
    check_signature(TYPED, "applicant", False, "A. Okafor", True, "")
    check_signature(MARK, "applicant", True, "A. Okafor", True, "")
    check_signature(ON_PAPER, "applicant", False, "", False, "ab" * 32)
    with pytest.raises(SignatureError, match="empty"):
        check_signature(DRAWN, "applicant", False, "", False, "")
    with pytest.raises(SignatureError, match="must confirm"):
        check_signature(TYPED, "applicant", False, "A. Okafor", False, "")
    with pytest.raises(SignatureError, match="officer who witnessed"):
        check_signature(MARK, "applicant", True, " ", True, "")
    with pytest.raises(SignatureError, match="photo or scan"):
        check_signature(ON_PAPER, "applicant", False, "", False, "")
    with pytest.raises(SignatureError, match="unknown way"):
        check_signature("thumbprint", "applicant", True, "", False, "")


def test_every_way_is_said_in_words() -> None:
    assert signed_in_words("Edna Fairweather", "30/11/2026", DRAWN, "") == "Signed by Edna Fairweather on 30/11/2026"
    assert signed_in_words("Edna Fairweather", "30/11/2026", TYPED, "A. Okafor").endswith(
        "(name typed, witnessed by A. Okafor)")
    assert "made their mark, witnessed by A. Okafor" in signed_in_words("E", "", MARK, "A. Okafor")
    assert "on paper" in signed_in_words("E", "", ON_PAPER, "")
