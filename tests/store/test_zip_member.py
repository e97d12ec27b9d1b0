"""Reading one member of a real zip file: every byte of a member bigger than one read, a
member of exactly the limit accepted, one byte more refused with a sentence naming it."""
import zipfile

import pytest

from app.store.files import ZIP_CHUNK, ZipMemberTooLarge, read_zip_member


def test_members_read_whole_up_to_exactly_the_limit(tmp_path):
    big = bytes(range(256)) * (ZIP_CHUNK // 256 * 2 + 3)          # more than two reads' worth
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("big.bin", big)
        z.writestr("ten.txt", b"0123456789")
    with zipfile.ZipFile(path) as z:
        assert read_zip_member(z, "big.bin", len(big)) == big
        assert read_zip_member(z, "ten.txt", 10) == b"0123456789"
        with pytest.raises(ZipMemberTooLarge) as refused:
            read_zip_member(z, "ten.txt", 9)
        assert str(refused.value) == "ten.txt unpacks to more than 9 bytes"
