"""myonn.mnist.load: the real MNIST splits, and a one-line DataFileError for every bad file.

The bad files are written by each test into its own folder; no test here uses the network
(the mirrors are a closed local port, refused at once).
"""

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest

from myonn import mnist
from myonn.plumbing.errors import DataFileError

TEST_IMAGES, TEST_LABELS = mnist.SPLITS["test"][:2]


def idx_ubyte(array: np.ndarray) -> bytes:
    """An IDX file of unsigned bytes (type 0x08) holding `array`, as MNIST's files are."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(struct.pack(">I", size) for size in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_split(folder: Path, images: np.ndarray, labels: np.ndarray) -> tuple[Path, Path]:
    """Write a small test split into `folder` under MNIST's file names, gzipped like the originals."""
    images_path, labels_path = folder / TEST_IMAGES, folder / TEST_LABELS
    images_path.write_bytes(gzip.compress(idx_ubyte(images)))
    labels_path.write_bytes(gzip.compress(idx_ubyte(labels)))
    return images_path, labels_path


def small_split(n: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """`n` made-up images (each filled with its own index) and labels."""
    images = np.repeat(np.arange(n, dtype=np.uint8), 28 * 28).reshape(n, 28, 28)
    return images, np.arange(n, dtype=np.uint8) % 10


def load_refused(folder: Path, path: Path) -> str:
    """load("test")'s one-line refusal of `folder`, checked to name the bad file `path`."""
    with pytest.raises(DataFileError) as excinfo:
        mnist.load("test", folder)
    message = str(excinfo.value)
    assert str(path) in message
    assert "\n" not in message
    return message


@pytest.fixture(autouse=True)
def no_internet(monkeypatch, closed_port_url):
    """A test that forgets to pass its mirrors fails at once instead of reaching the internet."""
    monkeypatch.setattr(mnist, "MIRRORS", [closed_port_url])


# ---- the real files ----------------------------------------------------------------------


def test_the_training_split_is_60000_images_of_28_by_28_pixels_with_their_labels(train_set):
    images, labels = train_set

    assert images.shape == (60000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (60000,) and labels.dtype == np.uint8


def test_the_test_split_is_10000_images_of_28_by_28_pixels_with_their_labels(test_set):
    images, labels = test_set

    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10000,) and labels.dtype == np.uint8


def test_the_first_labels_are_the_published_ones(train_set, test_set):
    # The first digits of each split, as every MNIST tutorial shows them.
    assert train_set[1][:5].tolist() == [5, 0, 4, 1, 9]
    assert test_set[1][:5].tolist() == [7, 2, 1, 0, 4]


def test_pixels_run_from_background_0_to_ink_255_with_background_at_the_borders(test_set):
    images, _ = test_set

    assert images.min() == 0 and images.max() == 255
    assert images[:, 0, :].max() == 0  # no ink on the top row of any test image


def test_every_digit_is_among_the_test_labels(test_set):
    _, labels = test_set

    assert sorted(set(labels.tolist())) == list(range(10))


def test_an_unknown_split_is_refused():
    with pytest.raises(ValueError, match="'train' or 'test'"):
        mnist.load("validation")


# ---- small files written here ------------------------------------------------------------


def test_a_split_of_any_size_loads_exactly_as_written(tmp_path):
    images, labels = small_split(5)
    write_split(tmp_path, images, labels)

    loaded_images, loaded_labels = mnist.load("test", str(tmp_path))

    np.testing.assert_array_equal(loaded_images, images)
    np.testing.assert_array_equal(loaded_labels, labels)


def test_uncompressed_files_under_the_gz_names_load_too(tmp_path):
    images, labels = small_split(3)
    (tmp_path / TEST_IMAGES).write_bytes(idx_ubyte(images))
    (tmp_path / TEST_LABELS).write_bytes(idx_ubyte(labels))

    np.testing.assert_array_equal(mnist.load("test", tmp_path)[0], images)


def test_a_file_that_is_not_idx_at_all_is_refused(tmp_path):
    images_path, _ = write_split(tmp_path, *small_split())
    images_path.write_bytes(b"label,1x1,1x2,1x3\n5,0,0,0\n")

    assert "not an IDX file" in load_refused(tmp_path, images_path)


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzipped"])
def test_an_html_page_saved_under_an_idx_name_is_refused(tmp_path, gzipped):
    images_path, _ = write_split(tmp_path, *small_split())
    page = b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n"
    images_path.write_bytes(gzip.compress(page) if gzipped else page)

    assert "HTML page" in load_refused(tmp_path, images_path)


@pytest.mark.parametrize("before", [b"\xef\xbb\xbf", b"\r\n  \t"], ids=["byte order mark", "blank lines"])
def test_an_html_page_after_a_byte_order_mark_or_blank_lines_is_refused_as_html(tmp_path, before):
    # Editors and proxies save pages with a UTF-8 byte order mark or leading blank lines.
    images_path, _ = write_split(tmp_path, *small_split())
    images_path.write_bytes(before + b"<html><body>Moved</body></html>\n")

    assert "HTML page" in load_refused(tmp_path, images_path)


def test_an_xml_error_page_from_a_cloud_mirror_is_refused_as_html(tmp_path):
    _, labels_path = write_split(tmp_path, *small_split())
    labels_path.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code></Error>')

    assert "HTML page" in load_refused(tmp_path, labels_path)


def test_a_truncated_images_file_is_refused(tmp_path):
    images_path, _ = write_split(tmp_path, *small_split())
    images_path.write_bytes(idx_ubyte(small_split()[0])[:-100])

    assert "truncated" in load_refused(tmp_path, images_path)


def test_a_truncated_gzip_download_is_refused(tmp_path):
    images_path, _ = write_split(tmp_path, *small_split(50))
    data = images_path.read_bytes()
    images_path.write_bytes(data[: len(data) // 2])

    assert "truncated" in load_refused(tmp_path, images_path)


def test_an_empty_file_is_refused(tmp_path):
    _, labels_path = write_split(tmp_path, *small_split())
    labels_path.write_bytes(b"")

    assert "not an IDX file" in load_refused(tmp_path, labels_path)


def test_a_labels_file_where_the_images_belong_is_refused(tmp_path):
    images, labels = small_split()
    images_path, _ = write_split(tmp_path, images, labels)
    images_path.write_bytes(gzip.compress(idx_ubyte(labels)))

    assert "a labels file?" in load_refused(tmp_path, images_path)


def test_an_images_file_where_the_labels_belong_is_refused(tmp_path):
    images, labels = small_split()
    _, labels_path = write_split(tmp_path, images, labels)
    labels_path.write_bytes(gzip.compress(idx_ubyte(images)))

    assert "an images file?" in load_refused(tmp_path, labels_path)


def test_images_of_another_size_than_28_by_28_are_refused(tmp_path):
    images_path, _ = write_split(tmp_path, np.zeros((5, 20, 20), np.uint8), small_split()[1])

    assert "(n, 28, 28)" in load_refused(tmp_path, images_path)


def test_images_of_another_element_type_are_refused(tmp_path):
    images_path, _ = write_split(tmp_path, *small_split())
    # The same shape, but 32-bit integers (type code 0x0C) instead of unsigned bytes.
    header = bytes([0, 0, 0x0C, 3]) + struct.pack(">III", 5, 28, 28)
    images_path.write_bytes(header + np.zeros((5, 28, 28), ">i4").tobytes())

    assert "uint8" in load_refused(tmp_path, images_path)


def test_image_and_label_counts_that_disagree_are_refused_naming_both_files(tmp_path):
    images, labels = small_split(5)
    images_path, labels_path = write_split(tmp_path, images, labels[:4])

    message = load_refused(tmp_path, images_path)

    assert str(labels_path) in message
    assert "5 images" in message and "4 labels" in message


@pytest.mark.parametrize("label", [10, 12, 255])
def test_a_label_above_9_is_refused(tmp_path, label):
    images, labels = small_split(5)
    labels[2] = label
    _, labels_path = write_split(tmp_path, images, labels)

    assert f"label {label}" in load_refused(tmp_path, labels_path)


def test_every_label_from_0_to_9_is_accepted(tmp_path):
    images, labels = small_split(10)
    labels[:] = np.arange(10)[::-1]
    write_split(tmp_path, images, labels)

    assert mnist.load("test", tmp_path)[1].tolist() == list(range(9, -1, -1))


# ---- missing files without a network -------------------------------------------------------


def test_missing_files_without_a_network_are_named_with_their_folder_and_how_to_get_them(tmp_path, closed_port_url):
    folder = tmp_path / "data"

    with pytest.raises(DataFileError) as excinfo:
        mnist.load("test", folder, mirrors=[closed_port_url])

    message = str(excinfo.value)
    assert TEST_IMAGES in message and TEST_LABELS in message
    assert str(folder.resolve()) in message
    assert "by hand" in message and closed_port_url in message
    assert "\n" not in message


def test_only_the_files_that_are_missing_are_named(tmp_path, closed_port_url):
    images, labels = small_split()
    images_path, _ = write_split(tmp_path, images, labels)
    (tmp_path / TEST_LABELS).unlink()

    with pytest.raises(DataFileError) as excinfo:
        mnist.load("test", tmp_path, mirrors=[closed_port_url])

    assert TEST_LABELS in str(excinfo.value)
    assert TEST_IMAGES not in str(excinfo.value)
    assert images_path.exists()


def test_a_failed_download_leaves_no_file_in_the_folder(tmp_path, closed_port_url):
    with pytest.raises(DataFileError):
        mnist.load("test", tmp_path, mirrors=[closed_port_url])

    assert list(tmp_path.iterdir()) == []


def test_a_data_folder_that_is_a_file_is_refused_in_one_line(tmp_path, closed_port_url):
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("oops")

    with pytest.raises(DataFileError, match="cannot create the data folder"):
        mnist.load("test", not_a_folder, mirrors=[closed_port_url])


def test_files_unzipped_by_hand_are_found_under_their_unzipped_names(tmp_path, mnist_dir):
    import gzip
    import shutil

    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        with gzip.open(mnist_dir / name) as packed, open(tmp_path / name.removesuffix(".gz"), "wb") as unpacked:
            shutil.copyfileobj(packed, unpacked)

    images, labels = mnist.load("test", tmp_path, mirrors=[])

    assert images.shape == (10000, 28, 28) and labels.shape == (10000,)


# ---- read_if_there: what the drawing window reads, never downloading ------------------


def test_read_if_there_reads_both_splits_once_per_folder(tiny_mnist_dir, monkeypatch):
    from conftest import TINY_TEST, TINY_TRAIN

    mnist._read.clear()
    reads = []
    real_load = mnist.load
    monkeypatch.setattr(mnist, "load", lambda split, folder: reads.append(split) or real_load(split, folder))
    found = mnist.read_if_there(tiny_mnist_dir)
    assert len(found["train"][0]) == len(found["train"][1]) == TINY_TRAIN
    assert len(found["test"][0]) == len(found["test"][1]) == TINY_TEST
    assert mnist.read_if_there(tiny_mnist_dir) is found  # again (after a lesson): not read again
    assert sorted(reads) == ["test", "train"]


def test_read_if_there_is_none_without_every_file_and_fetches_nothing(tiny_mnist_dir, tmp_path, monkeypatch):
    import shutil

    mnist._read.clear()
    monkeypatch.setattr(mnist, "download", lambda *args: pytest.fail("read_if_there must never download"))
    for missing in ("train-labels-idx1-ubyte", "t10k-images-idx3-ubyte"):
        folder = tmp_path / missing
        shutil.copytree(tiny_mnist_dir, folder)
        (folder / missing).unlink()
        assert mnist.read_if_there(folder) is None


def test_read_if_there_is_none_for_a_damaged_file(tiny_mnist_dir, tmp_path):
    import shutil

    mnist._read.clear()
    folder = tmp_path / "damaged"
    shutil.copytree(tiny_mnist_dir, folder)
    (folder / "t10k-labels-idx1-ubyte").write_bytes(b"not an IDX file")
    assert mnist.read_if_there(folder) is None
