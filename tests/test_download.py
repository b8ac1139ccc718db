"""Downloading missing MNIST files: mirrors tried in turn, checksums checked, writes atomic.

Every mirror here is a real server that the test starts on 127.0.0.1 (port 0, so any
free port): HTTP servers serving the real MNIST files or wrong ones, a closed port, a
server that does not speak HTTP, one that never answers. The download timeout is cut
to a fraction of a second so that no test can hang.
"""

from __future__ import annotations

import http.server
import socket
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import unwrapped
from myonn import mnist
from myonn.plumbing.errors import DataFileError

LABELS = "t10k-labels-idx1-ubyte.gz"  # the smallest MNIST file: 4,542 bytes
IMAGES = "t10k-images-idx3-ubyte.gz"


class Mirror:
    """An HTTP server on 127.0.0.1 serving `files` (name -> bytes), recording what it is asked for.

    With `cut_short`, it promises a whole file but sends only half, then hangs up.
    With `pause_halfway`, it calls that function halfway through sending a file.
    """

    def __init__(self, files: dict, cut_short: bool = False, pause_halfway=None):
        self.files, self.requests = files, []
        mirror = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                name = self.path.lstrip("/")
                mirror.requests.append(name)
                if name not in mirror.files:
                    self.send_error(404)
                    return
                data = mirror.files[name]
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                half = len(data) // 2
                self.wfile.write(data[:half])
                if cut_short:
                    self.close_connection = True
                    return
                if pause_halfway:
                    self.wfile.flush()
                    pause_halfway()
                self.wfile.write(data[half:])

            def log_message(self, *args):
                pass  # the test output stays quiet

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        # A short poll interval: shutdown() waits for the next poll (0.5 s by default).
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def close(self):
        """Stop serving and free the port."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


class RawServer:
    """A TCP server on 127.0.0.1 that answers every connection with `reply` (None: never answers)."""

    def __init__(self, reply: bytes | None):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.reply = reply
        if reply is not None:
            threading.Thread(target=self._answer, daemon=True).start()

    def _answer(self):
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:  # closed by close()
                return
            with connection:
                connection.recv(4096)
                connection.sendall(self.reply)

    def close(self):
        """Stop listening."""
        self.sock.close()


@pytest.fixture
def servers():
    """Start mirrors with `servers.http(files)` / `servers.raw(reply)`; all are stopped afterwards."""
    started = []

    class Start:
        @staticmethod
        def http(files, **options):
            started.append(Mirror(files, **options))
            return started[-1]

        @staticmethod
        def raw(reply):
            started.append(RawServer(reply))
            return started[-1]

    yield Start
    for server in started:
        server.close()


@pytest.fixture(autouse=True)
def fast_and_offline(monkeypatch, closed_port_url):
    """No test waits long for a mirror, and none can reach the real mirrors on the internet."""
    monkeypatch.setattr(mnist, "DOWNLOAD_TIMEOUT", 10)  # room for a loaded machine; see the silent mirror
    monkeypatch.setattr(mnist, "MIRRORS", [closed_port_url])


@pytest.fixture(scope="module")
def real(mnist_dir) -> dict:
    """The bytes of the real MNIST test files, as a mirror publishes them."""
    return {name: (mnist_dir / name).read_bytes() for name in (LABELS, IMAGES)}


@pytest.fixture
def wrong(real) -> dict:
    """A copy of the labels file with one byte changed: it looks right but fails its checksum."""
    data = bytearray(real[LABELS])
    data[len(data) // 2] ^= 0xFF
    return {LABELS: bytes(data)}


def contents(folder: Path) -> list:
    """The names of everything in `folder`, temporary files included."""
    return sorted(path.name for path in folder.iterdir())


def test_a_missing_file_is_downloaded_from_a_good_mirror(tmp_path, servers, real):
    mirror = servers.http(real)

    mnist.ensure_files([LABELS], tmp_path, [mirror.url])

    assert (tmp_path / LABELS).read_bytes() == real[LABELS]
    assert contents(tmp_path) == [LABELS]


def test_a_mirror_given_without_its_trailing_slash_works(tmp_path, servers, real):
    mirror = servers.http(real)

    mnist.ensure_files([LABELS], tmp_path, [mirror.url.rstrip("/")])

    assert mirror.requests == [LABELS]


def test_the_data_folder_is_created_when_missing(tmp_path, servers, real):
    folder = tmp_path / "new" / "data"

    mnist.ensure_files([LABELS], folder, [servers.http(real).url])

    assert contents(folder) == [LABELS]


def test_a_file_already_in_the_folder_is_not_downloaded_again(tmp_path, servers, real):
    (tmp_path / LABELS).write_bytes(real[LABELS])
    mirror = servers.http(real)

    mnist.ensure_files([LABELS], tmp_path, [mirror.url])

    assert mirror.requests == []


def test_load_downloads_a_missing_split_and_reads_it(tmp_path, servers, real, mnist_dir):
    images, labels = mnist.load("test", tmp_path, mirrors=[servers.http(real).url])

    expected_images, expected_labels = mnist.load("test", mnist_dir)
    np.testing.assert_array_equal(images, expected_images)
    np.testing.assert_array_equal(labels, expected_labels)


def test_the_first_mirror_that_works_is_the_only_one_asked(tmp_path, servers, real):
    first, second = servers.http(real), servers.http(real)

    mnist.ensure_files([LABELS], tmp_path, [first.url, second.url])

    assert first.requests == [LABELS]
    assert second.requests == []


def test_a_mirror_serving_a_wrong_file_is_passed_over_for_the_next(tmp_path, servers, real, wrong):
    bad, good = servers.http(wrong), servers.http(real)

    mnist.ensure_files([LABELS], tmp_path, [bad.url, good.url])

    assert bad.requests == [LABELS] and good.requests == [LABELS]
    assert (tmp_path / LABELS).read_bytes() == real[LABELS]
    assert contents(tmp_path) == [LABELS]


def test_a_wrong_file_from_every_mirror_leaves_nothing_behind(tmp_path, servers, wrong):
    mirrors = [servers.http(wrong).url, servers.http(wrong).url]

    with pytest.raises(DataFileError, match="checksum is wrong"):
        mnist.ensure_files([LABELS], tmp_path, mirrors)

    assert contents(tmp_path) == []  # neither the final name nor a temporary file


def test_a_dead_mirror_is_passed_over_for_the_next(tmp_path, servers, real, closed_port_url):
    mnist.ensure_files([LABELS], tmp_path, [closed_port_url, servers.http(real).url])

    assert (tmp_path / LABELS).read_bytes() == real[LABELS]


def test_a_mirror_without_the_file_is_passed_over_for_the_next(tmp_path, servers, real):
    empty, good = servers.http({}), servers.http(real)

    mnist.ensure_files([LABELS], tmp_path, [empty.url, good.url])

    assert empty.requests == [LABELS]
    assert (tmp_path / LABELS).read_bytes() == real[LABELS]


def test_a_mirror_that_does_not_speak_http_is_passed_over_for_the_next(tmp_path, servers, real):
    babbler = servers.raw(b"hello\r\nthis is not HTTP\r\n\r\n")

    mnist.ensure_files([LABELS], tmp_path, [babbler.url, servers.http(real).url])

    assert (tmp_path / LABELS).read_bytes() == real[LABELS]


def test_a_silent_mirror_times_out_and_the_next_is_tried(tmp_path, servers, real, monkeypatch, capsys):
    monkeypatch.setattr(mnist, "DOWNLOAD_TIMEOUT", 0.5)
    silent = servers.raw(None)  # accepts connections, never answers

    mnist.ensure_files([LABELS], tmp_path, [silent.url, servers.http(real).url])

    assert (tmp_path / LABELS).read_bytes() == real[LABELS]
    assert "timed out" in capsys.readouterr().err


def test_a_download_cut_short_is_not_kept(tmp_path, servers, real):
    mirror = servers.http(real, cut_short=True)

    with pytest.raises(DataFileError):
        mnist.ensure_files([LABELS], tmp_path, [mirror.url])

    assert contents(tmp_path) == []


def test_a_partial_download_never_sits_under_the_final_name(tmp_path, servers, real):
    seen_halfway = []

    def look_at_the_folder():
        # Wait until the first half has reached a file, then see where it is.
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline and not any(p.stat().st_size for p in tmp_path.iterdir()):
            time.sleep(0.01)
        seen_halfway.extend(contents(tmp_path))

    mirror = servers.http(real, pause_halfway=look_at_the_folder)
    mnist.ensure_files([IMAGES], tmp_path, [mirror.url])

    assert len(seen_halfway) == 1 and seen_halfway[0] != IMAGES  # a temporary name
    assert contents(tmp_path) == [IMAGES]
    assert (tmp_path / IMAGES).read_bytes() == real[IMAGES]


def test_when_every_mirror_fails_the_error_names_the_missing_files_the_folder_and_a_way_out(
    tmp_path, servers, closed_port_url
):
    folder = tmp_path / "data"
    mirrors = [closed_port_url, servers.http({}).url]

    with pytest.raises(DataFileError) as excinfo:
        mnist.ensure_files([IMAGES, LABELS], folder, mirrors)

    message = str(excinfo.value)
    assert IMAGES in message and LABELS in message
    assert str(folder.resolve()) in message
    assert "by hand" in message and closed_port_url in message
    assert "\n" not in message
    assert not folder.exists()  # made for the download, so removed again when nothing came


def test_every_attempt_is_announced_on_stderr(tmp_path, servers, real, closed_port_url, capsys):
    good = servers.http(real)

    mnist.ensure_files([LABELS], tmp_path, [closed_port_url, good.url])

    err = capsys.readouterr().err
    assert f"downloading {closed_port_url}{LABELS}" in err
    assert f"downloading {good.url}{LABELS}" in err
    assert "failed" in err


def test_a_folder_where_no_file_can_be_created_fails_in_one_line(tmp_path, servers, real, monkeypatch):
    import myonn.plumbing.files

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(myonn.plumbing.files.os, "open", refuse)  # as in a folder the user may not write into

    with pytest.raises(DataFileError, match="Permission denied"):
        mnist.ensure_files([LABELS], tmp_path, [servers.http(real).url])


def test_a_folder_that_was_there_before_is_kept_when_the_download_fails(tmp_path, closed_port_url):
    folder = tmp_path / "data"
    folder.mkdir()

    with pytest.raises(DataFileError):
        mnist.ensure_files([IMAGES], folder, [closed_port_url])

    assert folder.is_dir() and contents(folder) == []


def test_with_no_mirror_to_ask_the_error_says_so(tmp_path):
    with pytest.raises(DataFileError) as excinfo:
        mnist.ensure_files([LABELS], tmp_path, [])
    assert "download failed (no mirror given)" in str(excinfo.value)
    assert contents(tmp_path) == []


def test_a_wrong_file_is_announced_naming_the_mirror_before_the_next_is_tried(tmp_path, servers, real, wrong, capsys):
    bad, good = servers.http(wrong), servers.http(real)

    mnist.ensure_files([LABELS], tmp_path, [bad.url, good.url])

    err = unwrapped(capsys.readouterr().err)
    assert f"{bad.url}{LABELS} sent a file whose checksum is wrong; trying the next mirror" in err


def test_a_file_of_no_published_checksum_is_kept_as_sent(tmp_path, servers):
    # Only the four MNIST files have a published checksum; any other name is taken as it comes.
    mirror = servers.http({"extra.gz": b"anything at all"})

    mnist.ensure_files(["extra.gz"], tmp_path, [mirror.url])

    assert (tmp_path / "extra.gz").read_bytes() == b"anything at all"


def test_a_folder_made_for_a_failed_download_that_cannot_be_removed_is_left_and_the_error_is_the_download_s(
    tmp_path, closed_port_url, monkeypatch
):
    folder = tmp_path / "new" / "data"
    real_rmdir = Path.rmdir

    def busy_rmdir(self):
        if self == folder:
            raise OSError(16, "Device or resource busy")  # say, a file manager has it open
        return real_rmdir(self)

    monkeypatch.setattr(Path, "rmdir", busy_rmdir)
    with pytest.raises(DataFileError, match="download failed"):
        mnist.ensure_files([LABELS], folder, [closed_port_url])
    assert folder.is_dir() and list(folder.iterdir()) == []  # left, empty; its parent kept with it


def test_the_way_out_names_the_first_mirror_the_learner_gave_not_the_built_in_one(tmp_path, servers):
    # mnist.MIRRORS is a closed port here (fast_and_offline); the learner's own mirror is the one to try by hand.
    theirs = servers.http({})

    with pytest.raises(DataFileError) as excinfo:
        mnist.ensure_files([LABELS], tmp_path, [theirs.url])

    assert f"by hand from {theirs.url} " in " ".join(str(excinfo.value).split())


def test_a_mirror_that_answers_404_is_reported_with_the_status_and_its_reason(tmp_path, servers, capsys):
    # http.server sends "404 Not Found" (HTTPStatus.NOT_FOUND's phrase) for a file it does not have.
    empty = servers.http({})

    with pytest.raises(DataFileError) as excinfo:
        mnist.ensure_files([LABELS], tmp_path, [empty.url])

    assert f"{empty.url}{LABELS}: HTTP 404 Not Found" in " ".join(str(excinfo.value).split())
    assert "failed: " in capsys.readouterr().err
