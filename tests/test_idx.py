"""myonn.mnist.read_idx: any IDX file, gzipped or not, read exactly or refused in one line.

The files are written here by a small IDX writer of the tests' own, so every element
type and shape can be tried, not only MNIST's bytes.
"""

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest

from myonn.plumbing.errors import DataFileError
from myonn.mnist import read_idx

# The IDX type codes of the format's description, with the big-endian type of each.
TYPE_CODES = {
    0x08: ">u1",
    0x09: ">i1",
    0x0B: ">i2",
    0x0C: ">i4",
    0x0D: ">f4",
    0x0E: ">f8",
}
SHAPES = [(7,), (3, 5), (2, 3, 4), (2, 1, 3, 2)]


def idx_bytes(array: np.ndarray, type_code: int) -> bytes:
    """The bytes of an IDX file holding `array`: magic number, dimensions, big-endian elements."""
    header = bytes([0, 0, type_code, array.ndim]) + b"".join(struct.pack(">I", size) for size in array.shape)
    return header + array.astype(TYPE_CODES[type_code]).tobytes()


def write_idx(path: Path, array: np.ndarray, type_code: int, gzipped: bool = False) -> Path:
    """Write `array` as an IDX file at `path`, gzipped if asked."""
    data = idx_bytes(array, type_code)
    path.write_bytes(gzip.compress(data) if gzipped else data)
    return path


def sample(type_code: int, shape: tuple) -> np.ndarray:
    """Values of the type's whole range, extremes included, so a byte-order slip shows."""
    dtype = np.dtype(TYPE_CODES[type_code]).newbyteorder("=")
    rng = np.random.default_rng(type_code)
    if dtype.kind == "f":
        values = rng.normal(0, 1e3, shape).astype(dtype)
        values.flat[0] = -1.5  # exactly representable, and negative
        return values
    info = np.iinfo(dtype)
    values = rng.integers(info.min, info.max, shape, endpoint=True).astype(dtype)
    values.flat[0], values.flat[-1] = info.min, info.max
    return values


def refused(path: Path) -> str:
    """read_idx's one-line refusal of `path`, checked to name the file."""
    with pytest.raises(DataFileError) as excinfo:
        read_idx(path)
    message = str(excinfo.value)
    assert str(path) in message
    assert "\n" not in message
    return message


# ---- round trips -----------------------------------------------------------------------


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzipped"])
@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: f"{len(shape)}d")
@pytest.mark.parametrize("type_code", TYPE_CODES, ids=lambda code: f"0x{code:02X}")
def test_every_type_and_dimension_count_round_trips(tmp_path, type_code, shape, gzipped):
    array = sample(type_code, shape)
    path = write_idx(tmp_path / "data.idx", array, type_code, gzipped)

    result = read_idx(path)

    assert result.shape == shape
    assert result.dtype == array.dtype
    np.testing.assert_array_equal(result, array)


@pytest.mark.parametrize(
    "type_code, element_bytes, value",
    [
        (0x0B, b"\x01\x02", 0x0102),
        (0x0B, b"\xff\xfe", -2),
        (0x0C, b"\x01\x02\x03\x04", 0x01020304),
        (0x0C, b"\x80\x00\x00\x00", -(2**31)),
        (0x0D, b"\x3f\xc0\x00\x00", 1.5),
        (0x0E, b"\xc0\x04\x00\x00\x00\x00\x00\x00", -2.5),
    ],
    ids=["short", "negative-short", "int", "smallest-int", "float", "double"],
)
def test_multibyte_elements_are_read_big_endian(tmp_path, type_code, element_bytes, value):
    # Written byte by byte, not by the writer above, so the reader cannot share its mistakes.
    path = tmp_path / "one.idx"
    path.write_bytes(bytes([0, 0, type_code, 1, 0, 0, 0, 1]) + element_bytes)

    assert read_idx(path).tolist() == [value]


def test_multibyte_elements_come_back_in_native_byte_order(tmp_path):
    path = write_idx(tmp_path / "ints.idx", np.arange(6, dtype=np.int32), 0x0C)

    assert read_idx(path).dtype.isnative


def test_gzip_is_recognised_by_content_not_by_name(tmp_path):
    array = np.arange(12, dtype=np.uint8).reshape(3, 4)
    gzipped_without_suffix = write_idx(tmp_path / "a.idx", array, 0x08, gzipped=True)
    plain_with_gz_suffix = write_idx(tmp_path / "b.idx.gz", array, 0x08)

    np.testing.assert_array_equal(read_idx(gzipped_without_suffix), array)
    np.testing.assert_array_equal(read_idx(plain_with_gz_suffix), array)


def test_a_dimension_of_size_zero_gives_an_empty_array(tmp_path):
    path = write_idx(tmp_path / "empty.idx", np.zeros((0, 28, 28), np.uint8), 0x08)

    assert read_idx(path).shape == (0, 28, 28)


def test_the_array_returned_can_be_written_to(tmp_path):
    path = write_idx(tmp_path / "pixels.idx", np.zeros((2, 3), np.uint8), 0x08)
    array = read_idx(path)

    array[0, 0] = 255

    assert array[0, 0] == 255


def test_a_path_may_be_given_as_a_string(tmp_path):
    path = write_idx(tmp_path / "labels.idx", np.arange(10, dtype=np.uint8), 0x08)

    np.testing.assert_array_equal(read_idx(str(path)), np.arange(10))


# ---- refusals ----------------------------------------------------------------------------


def test_a_missing_file_is_refused_naming_it(tmp_path):
    assert "not found" in refused(tmp_path / "absent.idx")


def test_a_folder_is_refused(tmp_path):
    assert "cannot be read" in refused(tmp_path)


def test_a_magic_number_not_starting_with_two_zero_bytes_is_refused(tmp_path):
    path = tmp_path / "text.idx"
    path.write_bytes(b"label,pixel0,pixel1\n5,0,0\n")

    assert "not an IDX file" in refused(path)


@pytest.mark.parametrize("type_code", [0x00, 0x0A, 0x0F, 0xFF])
def test_an_unknown_type_code_is_refused(tmp_path, type_code):
    path = tmp_path / "odd.idx"
    path.write_bytes(bytes([0, 0, type_code, 1, 0, 0, 0, 1, 7]))

    assert "not an IDX file" in refused(path)


def test_zero_dimensions_are_refused(tmp_path):
    path = tmp_path / "scalar.idx"
    path.write_bytes(bytes([0, 0, 0x08, 0, 7]))

    assert "not an IDX file" in refused(path)


def test_a_file_shorter_than_a_magic_number_is_refused(tmp_path):
    path = tmp_path / "tiny.idx"
    path.write_bytes(b"\x00\x00")

    assert "not an IDX file" in refused(path)


def test_a_header_cut_inside_its_dimensions_is_refused(tmp_path):
    path = tmp_path / "cut-header.idx"
    path.write_bytes(bytes([0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0]))

    assert "truncated" in refused(path)


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzipped"])
def test_a_payload_one_byte_short_is_refused_as_truncated(tmp_path, gzipped):
    data = idx_bytes(np.arange(24, dtype=np.int16).reshape(2, 3, 4), 0x0B)[:-1]
    path = tmp_path / "short.idx"
    path.write_bytes(gzip.compress(data) if gzipped else data)

    assert "truncated" in refused(path)


def test_a_payload_one_byte_long_is_refused(tmp_path):
    path = tmp_path / "long.idx"
    path.write_bytes(idx_bytes(np.arange(6, dtype=np.uint8), 0x08) + b"\x00")

    assert "1 bytes more than its header" in refused(path)


def test_a_header_whose_sizes_overflow_64_bits_is_refused_as_truncated(tmp_path):
    # 65536**4 elements wrap to 0 in 64-bit arithmetic: this file must not pass for empty.
    path = tmp_path / "huge.idx"
    path.write_bytes(bytes([0, 0, 0x08, 4]) + struct.pack(">IIII", 65536, 65536, 65536, 65536))

    assert "truncated" in refused(path)


def test_a_gzip_file_cut_short_is_refused(tmp_path):
    data = gzip.compress(idx_bytes(np.arange(1000, dtype=np.int32), 0x0C))
    path = tmp_path / "cut.idx.gz"
    path.write_bytes(data[: len(data) // 2])

    assert "truncated gzip" in refused(path)


def test_a_damaged_gzip_file_is_refused(tmp_path):
    data = bytearray(gzip.compress(idx_bytes(np.arange(1000, dtype=np.int32), 0x0C)))
    data[-8] ^= 0xFF  # the CRC-32 of the trailer no longer matches the contents
    path = tmp_path / "damaged.idx.gz"
    path.write_bytes(bytes(data))

    assert "damaged gzip" in refused(path)


@pytest.mark.parametrize("dtype", ["u1", "i1", "i2", "i4", "f4", "f8"])
def test_write_idx_round_trips_every_type(tmp_path, dtype):
    from myonn.mnist import write_idx

    array = (np.arange(24).reshape(2, 3, 4) - 5).astype(dtype)
    write_idx(tmp_path / "a.idx", array)
    back = read_idx(tmp_path / "a.idx")
    assert back.dtype == array.dtype.newbyteorder("=") and back.shape == (2, 3, 4)
    np.testing.assert_array_equal(back, array)


@pytest.mark.parametrize(
    "array, shown",
    [
        (np.array(7, np.uint8), "uint8 ()"),
        (np.zeros((2, 2), np.int64), "int64 (2, 2)"),
        (np.zeros(3, bool), "bool (3,)"),
    ],
)
def test_write_idx_refuses_what_idx_cannot_hold_naming_what_it_can(tmp_path, array, shown):
    from myonn.mnist import write_idx

    with pytest.raises(ValueError) as refusal:
        write_idx(tmp_path / "a.idx", array)
    message = str(refusal.value)
    assert message.startswith("IDX holds arrays of one or more dimensions of ") and message.endswith(f", not {shown}")
    # The six element types of the IDX format (LeCun's page), each named.
    for name in ("uint8", "int8", "int16", "int32", "float32", "float64"):
        assert name in message
    assert not (tmp_path / "a.idx").exists()


def test_write_idx_writes_the_header_big_endian_by_hand(tmp_path):
    from myonn.mnist import write_idx

    write_idx(tmp_path / "a.idx", np.zeros((2, 300), np.uint8))
    # 0, 0, type 0x08 (uint8), 2 dimensions; then 2 and 300 as 4-byte big-endian numbers.
    assert (tmp_path / "a.idx").read_bytes()[:12] == bytes([0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 1, 44])


def test_a_header_of_no_data_but_sizes_no_array_can_have_is_refused(tmp_path):
    # 0 x (2**32 - 1) x (2**32 - 1) bytes: none to read, but NumPy cannot make such a shape.
    path = tmp_path / "huge.idx"
    path.write_bytes(bytes([0, 0, 8, 3]) + (0).to_bytes(4, "big") + (2**32 - 1).to_bytes(4, "big") * 2)
    assert refused(path).endswith("its header's sizes (0, 4294967295, 4294967295) are too large for an array")
