"""Files are written whole or not at all, and a failure says why."""

import os

import pytest

from engine.atomic import replacing, write_text


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "w.csv"
    target.write_text("old")
    with pytest.raises(OSError, match=r"cannot write .*w\.csv: boom"):
        with replacing(target) as tmp:
            tmp.write_text("half")
            raise OSError("boom")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["w.csv"]


def test_the_reason_is_named(tmp_path):
    with pytest.raises(OSError, match="the folder does not exist"):
        write_text(tmp_path / "missing" / "x.txt", "hi")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        if os.access(ro, os.W_OK):  # running as root: permissions do not bind
            pytest.skip("permissions are not enforced for this user")
        with pytest.raises(OSError, match="permission denied"):
            write_text(ro / "x.txt", "hi")
    finally:
        ro.chmod(0o700)


def test_nothing_written_is_an_error_not_an_empty_file(tmp_path):
    with pytest.raises(OSError, match="nothing was written"):
        with replacing(tmp_path / "x.png") as tmp:
            assert not tmp.exists()  # the block writes nothing
    assert not (tmp_path / "x.png").exists()
