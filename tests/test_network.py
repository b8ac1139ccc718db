"""myonn.NeuralNetwork: reading digits, backpropagation checked numerically, saving and loading.

A saved model is never lost or half-written, and a file that is not a good model is
refused with a one-line ModelFileError, never unpickled.
"""

import copy
import errno
import io
import json
import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from myonn import images as imaging
from myonn.model_file import load_mnist_network
from myonn.network import WEIGHTS, NeuralNetwork, sigmoid, softmax
from myonn.plumbing.errors import ModelFileError

from conftest import SHIPPED_MODEL


@pytest.fixture(scope="module")
def test_images(test_set) -> tuple[np.ndarray, np.ndarray]:
    """The first 500 real MNIST test images and their labels."""
    return test_set[0][:500], test_set[1][:500]


def saved_network(path: Path, deskew: bool = True) -> NeuralNetwork:
    """Save a small untrained network with some metadata at `path`, and return it."""
    network = NeuralNetwork(784, 16, 10, seed=3, deskew=deskew)
    network.metadata = {"epochs": 2, "test_accuracy": 0.91, "note": "written by a test"}
    network.save(path)
    return network


def resave(path: Path, metadata=None, **arrays) -> None:
    """Rewrite the model at `path` with some metadata keys or weight arrays replaced (None: removed)."""
    with np.load(path, allow_pickle=False) as npz:
        contents = {name: npz[name] for name in npz.files}
    saved = json.loads(str(contents.pop("metadata")))
    saved.update(metadata or {})
    contents.update(arrays)
    contents = {name: array for name, array in contents.items() if array is not None}
    np.savez(path, metadata=np.array(json.dumps(saved)), **contents)


def refused(path: Path) -> str:
    """NeuralNetwork.load's one-line refusal of `path`, checked to name the file."""
    with pytest.raises(ModelFileError) as excinfo:
        NeuralNetwork.load(path)
    message = str(excinfo.value)
    assert str(path) in message
    assert "\n" not in message
    return message


class Touch:
    """An object whose unpickling creates the file `marker`: proof that something was unpickled."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return Path.touch, (self.marker,)


# ---- making a network --------------------------------------------------------------------


def test_the_same_seed_gives_the_same_weights_and_another_seed_others():
    first, again = NeuralNetwork(784, 20, 10, seed=5), NeuralNetwork(784, 20, 10, seed=5)
    other = NeuralNetwork(784, 20, 10, seed=6)

    for name in WEIGHTS:
        np.testing.assert_array_equal(getattr(first, name), getattr(again, name))
    assert not np.array_equal(first.wih, other.wih)


def test_initial_weights_spread_as_one_over_the_root_of_the_incoming_links():
    network = NeuralNetwork(784, 200, 10, seed=0)

    assert network.wih.std() == pytest.approx(784**-0.5, rel=0.05)
    assert network.who.std() == pytest.approx(200**-0.5, rel=0.1)
    assert not network.bh.any() and not network.bo.any()


@pytest.mark.parametrize("sizes", [(0, 200, 10), (784, -1, 10), (784, 200, 2.5)])
def test_a_layer_size_that_is_not_a_positive_whole_number_is_refused(sizes):
    with pytest.raises(ValueError, match="positive whole number"):
        NeuralNetwork(*sizes)


def test_the_repr_shows_the_layer_sizes():
    assert repr(NeuralNetwork(784, 30, 10)) == "NeuralNetwork(784, 30, 10, untrained)"


def test_the_repr_of_a_network_that_scored_nothing_gives_its_score_not_untrained():
    network = NeuralNetwork(784, 30, 10)
    network.metadata["test_accuracy"] = 0.0
    assert repr(network) == "NeuralNetwork(784, 30, 10, test accuracy 0.00%)"


# ---- reading digits ------------------------------------------------------------------------


def test_predict_proba_gives_one_row_of_10_per_image(small_model, test_images):
    probabilities = small_model.predict_proba(test_images[0][:7])

    assert probabilities.shape == (7, 10)
    assert probabilities.dtype == np.float32


def test_probabilities_are_between_0_and_1_and_each_row_adds_up_to_1(small_model, test_images):
    probabilities = small_model.predict_proba(test_images[0])

    assert probabilities.min() >= 0 and probabilities.max() <= 1
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)


def test_flat_rows_of_784_pixels_give_the_same_probabilities_as_28_by_28_images(small_model, test_images):
    images = test_images[0][:7]

    np.testing.assert_array_equal(small_model.predict_proba(images.reshape(7, 784)), small_model.predict_proba(images))


def test_one_28_by_28_image_gives_one_row(small_model, test_images):
    image = test_images[0][3]

    probabilities = small_model.predict_proba(image)

    assert probabilities.shape == (1, 10)
    np.testing.assert_allclose(probabilities[0], small_model.predict_proba(test_images[0][3:4])[0], atol=1e-6)
    assert small_model.predict(image).shape == (1,)


def by_hand(network: NeuralNetwork, images: np.ndarray) -> np.ndarray:
    """The network's probabilities worked out step by step in float64, from the book's formulas."""
    inputs = imaging.deskew(images).reshape(len(images), 784) / 255.0
    hidden_outputs = 1 / (1 + np.exp(-(inputs @ network.wih.T.astype(float) + network.bh)))
    scores = hidden_outputs @ network.who.T.astype(float) + network.bo
    exps = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exps / exps.sum(axis=1, keepdims=True)


def test_predict_proba_is_the_forward_pass_of_the_book_with_biases_and_softmax(small_model, test_images):
    images = test_images[0][:50]

    np.testing.assert_allclose(small_model.predict_proba(images), by_hand(small_model, images), atol=2e-5)


def test_the_forward_pass_with_silenced_hidden_nodes_is_the_network_with_those_nodes_cut_out(small_model, test_images):
    images = test_images[0][:50]
    silenced = np.zeros(small_model.hnodes, bool)
    silenced[[0, 3, 17]] = True
    cut = copy.deepcopy(small_model)
    cut.who[:, silenced] = 0.0  # a node whose outgoing weights are 0 passes nothing on

    hidden_outputs, final_outputs = small_model.forward(small_model.prepare_inputs(images), silenced)

    assert (hidden_outputs[:, silenced] == 0).all() and (hidden_outputs[:, ~silenced] > 0).all()
    np.testing.assert_allclose(final_outputs, by_hand(cut, images), atol=2e-5)
    np.testing.assert_allclose(
        small_model.query(small_model.prepare_inputs(images)), by_hand(small_model, images), atol=2e-5
    )


def test_predict_gives_the_most_likely_digit_of_each_image(small_model, test_images):
    images = test_images[0][:50]
    expected = by_hand(small_model, images)
    clear = np.sort(expected, axis=1)[:, -2] < expected.max(axis=1) - 1e-3  # no near-tie that float32 could flip

    predictions = small_model.predict(images)

    assert predictions.shape == (50,) and clear.sum() > 40
    np.testing.assert_array_equal(predictions[clear], expected.argmax(axis=1)[clear])


def test_reading_in_batches_gives_one_row_per_image_as_reading_all_at_once(small_model, test_images):
    images = test_images[0][:7]

    np.testing.assert_allclose(small_model.predict_proba(images, batch_size=3), by_hand(small_model, images), atol=2e-5)


def test_sigmoid_is_one_over_one_plus_e_to_the_minus_x():
    x = np.array([-1000.0, -2.0, 0.0, 2.0, 1000.0], np.float32)

    np.testing.assert_allclose(sigmoid(x), [0.0, 1 / (1 + np.e**2), 0.5, 1 / (1 + np.e**-2), 1.0], rtol=1e-6)


def test_softmax_of_huge_scores_is_exact_not_overflowed():
    # e^1000 overflows; scores 1000 and 1000 + ln 3 are still in the ratio 1 : 3.
    scores = np.array([[1000.0, 1000.0 + np.log(3.0)], [-1000.0, -1000.0]])

    np.testing.assert_allclose(softmax(scores), [[0.25, 0.75], [0.5, 0.5]], rtol=1e-6)


def test_softmax_makes_each_row_add_up_to_1_on_its_own():
    scores = np.array([[0.0, 0.0, 0.0, 0.0], [np.log(1.0), np.log(2.0), np.log(3.0), np.log(4.0)]])

    np.testing.assert_allclose(softmax(scores), [[0.25] * 4, [0.1, 0.2, 0.3, 0.4]], rtol=1e-6)


def test_a_trained_network_reads_most_test_digits_right(small_model, test_images):
    images, labels = test_images

    assert (small_model.predict(images) == labels).mean() > 0.88
    assert small_model.accuracy(images, labels) == (small_model.predict(images) == labels).mean()


def test_no_images_give_no_rows(small_model):
    assert small_model.predict_proba(np.zeros((0, 28, 28), np.uint8)).shape == (0, 10)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pixels_that_are_not_raw_uint8_are_refused(small_model, test_images, dtype):
    scaled = test_images[0][:3].astype(dtype) / 255

    with pytest.raises(TypeError, match="uint8"):
        small_model.predict_proba(scaled)


@pytest.mark.parametrize("shape", [(3, 27, 27), (3, 783), (784,), (2, 3, 28, 28)])
def test_images_of_another_shape_are_refused(small_model, shape):
    with pytest.raises(ValueError, match="shaped"):
        small_model.predict(np.zeros(shape, np.uint8))


def test_inputs_are_pixels_scaled_to_0_to_1():
    network = NeuralNetwork(784, 16, 10, deskew=False)
    images = np.arange(3 * 784).reshape(3, 28, 28).astype(np.uint8)

    inputs = network.prepare_inputs(images)

    assert inputs.dtype == np.float32
    np.testing.assert_allclose(inputs, images.reshape(3, 784) / 255, atol=1e-7)


def test_a_deskewing_network_sees_a_slanted_bar_off_centre_upright_and_centred():
    image = np.zeros((28, 28), np.uint8)
    for row in range(4, 20):  # a bar leaning right by half a pixel a row, up and left of the middle
        image[row, int(round(6 + 0.5 * (row - 4))) : int(round(6 + 0.5 * (row - 4))) + 3] = 255
    network = NeuralNetwork(784, 16, 10, deskew=True)

    seen = network.prepare_inputs(image).reshape(28, 28).astype(np.float64)

    # The centre and the slant of its ink, from their definitions.
    ys, xs = np.indices((28, 28))
    p = seen / seen.sum()
    cy, cx = (p * ys).sum(), (p * xs).sum()
    slope = ((p * ys * xs).sum() - cy * cx) / ((p * ys**2).sum() - cy**2)
    assert abs(cy - 13.5) < 0.1 and abs(cx - 13.5) < 0.1
    assert abs(slope) < 0.05


def test_a_deskewing_network_deskews_every_image_it_reads(test_images):
    network = NeuralNetwork(784, 16, 10, deskew=True)
    images = test_images[0][:5]

    np.testing.assert_allclose(network.prepare_inputs(images), imaging.deskew(images).reshape(5, 784) / 255, atol=1e-7)


# ---- backpropagation, checked against finite differences -----------------------------------

LEARNING_RATE = 0.5  # with 4 images, learning_rate / n is exact in float32
TOLERANCE = 1e-6  # relative; central differences in float64 agree to about 1e-9


def tiny_float64_network() -> NeuralNetwork:
    """A 6-5-3 network in float64, with random biases so that no gradient is special."""
    network = NeuralNetwork(6, 5, 3, seed=4, deskew=False)
    rng = np.random.default_rng(1)
    network.bh, network.bo = rng.normal(0, 0.5, 5), rng.normal(0, 0.5, 3)
    for name in WEIGHTS:
        setattr(network, name, getattr(network, name).astype(np.float64))
    network.velocities = {name: np.zeros_like(getattr(network, name)) for name in WEIGHTS}
    return network


def tiny_batch() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Four prepared inputs of 6 values, their labels and their one-hot targets."""
    inputs = np.random.default_rng(2).random((4, 6))
    labels = np.array([0, 2, 1, 2])
    return inputs, labels, np.eye(3)[labels]


def mean_loss(network: NeuralNetwork, inputs: np.ndarray, labels: np.ndarray) -> float:
    """The mean cross-entropy of the batch, straight from the forward pass."""
    final_outputs = network.forward(inputs)[1]
    return float(-np.log(final_outputs[np.arange(len(labels)), labels]).mean())


def numerical_gradient(network: NeuralNetwork, name: str, inputs, labels, eps: float = 1e-6) -> np.ndarray:
    """d(mean loss)/d(each element of weight `name`) by central differences."""
    weights = getattr(network, name)
    gradient = np.zeros_like(weights)
    for index in np.ndindex(weights.shape):
        kept = weights[index]
        weights[index] = kept + eps
        up = mean_loss(network, inputs, labels)
        weights[index] = kept - eps
        down = mean_loss(network, inputs, labels)
        weights[index] = kept
        gradient[index] = (up - down) / (2 * eps)
    return gradient


def gradient_from_train(network: NeuralNetwork, name: str, inputs, targets) -> np.ndarray:
    """The gradient that one step of train() follows: without momentum, weight change = -rate * gradient."""
    stepped = copy.deepcopy(network)
    stepped.train(inputs, targets, LEARNING_RATE, momentum=0.0)
    return -(getattr(stepped, name) - getattr(network, name)) / LEARNING_RATE


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """The largest difference between a and b, relative to the largest element of either."""
    return float(np.abs(a - b).max() / max(np.abs(a).max(), np.abs(b).max()))


@pytest.mark.parametrize("name", WEIGHTS)
def test_train_steps_down_the_gradient_of_the_mean_cross_entropy(name):
    network = tiny_float64_network()
    inputs, labels, targets = tiny_batch()

    analytic = gradient_from_train(network, name, inputs, targets)
    numeric = numerical_gradient(network, name, inputs, labels)

    assert np.abs(numeric).max() > 1e-3  # a real gradient, not zeros agreeing with zeros
    assert relative_error(analytic, numeric) < TOLERANCE


def test_train_reports_the_loss_and_the_right_answers_from_before_its_step():
    network = tiny_float64_network()
    inputs, labels, targets = tiny_batch()
    expected_loss = mean_loss(network, inputs, labels)
    expected_right = int((network.query(inputs).argmax(axis=1) == labels).sum())

    loss, right = network.train(inputs, targets, LEARNING_RATE, momentum=0.0)

    assert loss == pytest.approx(expected_loss, rel=1e-12)
    assert right == expected_right
    assert mean_loss(network, inputs, labels) < expected_loss


def test_momentum_adds_a_fraction_of_the_last_step_to_the_next():
    network = tiny_float64_network()
    inputs, _, targets = tiny_batch()
    start = network.who.copy()

    network.train(inputs, targets, LEARNING_RATE, momentum=0.9)
    first_step = network.who - start
    plain = copy.deepcopy(network)
    plain.velocities = {name: np.zeros_like(v) for name, v in plain.velocities.items()}
    plain.train(inputs, targets, LEARNING_RATE, momentum=0.0)
    gradient_step = plain.who - network.who
    before = network.who.copy()
    network.train(inputs, targets, LEARNING_RATE, momentum=0.9)

    np.testing.assert_allclose(network.who - before, 0.9 * first_step + gradient_step, rtol=1e-6, atol=1e-12)


# ---- saving and loading --------------------------------------------------------------------


def test_a_saved_network_loads_with_the_same_weights_and_metadata(tmp_path):
    path = tmp_path / "model.npz"
    network = saved_network(path)

    loaded = NeuralNetwork.load(path)

    for name in WEIGHTS:
        np.testing.assert_array_equal(getattr(loaded, name), getattr(network, name))
        assert getattr(loaded, name).dtype == np.float32
    assert {key: loaded.metadata[key] for key in network.metadata} == network.metadata
    assert loaded.metadata["layer_sizes"] == [784, 16, 10]
    assert (loaded.inodes, loaded.hnodes, loaded.onodes) == (784, 16, 10)


def test_weights_written_in_float64_by_another_program_load_as_float32_the_network_s_own_type(tmp_path):
    path = tmp_path / "model.npz"
    network = saved_network(path)
    resave(path, **{name: getattr(network, name).astype(np.float64) for name in WEIGHTS})
    loaded = NeuralNetwork.load(path)
    for name in WEIGHTS:
        assert getattr(loaded, name).dtype == np.float32
        assert np.array_equal(getattr(loaded, name), getattr(network, name))


def test_a_saved_file_is_a_plain_zip_of_four_npy_weights_and_a_json_string_naming_the_network(tmp_path):
    """Read back with the standard library's zipfile and json and NumPy's .npy reader, not with myonn:
    what docs/how-it-works.md says a saved network is, for any program that reads it."""
    import zipfile

    path = tmp_path / "model.npz"
    network = saved_network(path, deskew=False)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == sorted(["metadata.npy", *(f"{name}.npy" for name in WEIGHTS)])
        metadata = json.loads(str(np.lib.format.read_array(io.BytesIO(archive.read("metadata.npy")))))
        for name in WEIGHTS:
            weights = np.lib.format.read_array(io.BytesIO(archive.read(f"{name}.npy")), allow_pickle=False)
            assert weights.dtype == np.float32 and np.array_equal(weights, getattr(network, name))
    assert metadata == {
        "epochs": 2,
        "test_accuracy": 0.91,
        "note": "written by a test",
        "format": "myonn-network",
        "format_version": 1,
        "layer_sizes": [784, 16, 10],
        "activation": "sigmoid",
        "output": "softmax",
        "deskew": False,
    }


@pytest.mark.parametrize("deskew", [True, False])
def test_a_loaded_network_deskews_as_the_saved_one_did(tmp_path, deskew):
    path = tmp_path / "model.npz"
    saved_network(path, deskew=deskew)

    assert NeuralNetwork.load(path).deskew is deskew


def test_a_loaded_network_predicts_exactly_as_the_saved_one(tmp_path, small_model, test_images):
    path = tmp_path / "again.npz"
    small_model.save(path)

    loaded = NeuralNetwork.load(path)

    np.testing.assert_array_equal(loaded.predict_proba(test_images[0]), small_model.predict_proba(test_images[0]))


def test_saving_creates_the_folders_the_model_goes_into(tmp_path):
    path = tmp_path / "new" / "folder" / "model.npz"

    NeuralNetwork(784, 4, 10).save(path)

    assert NeuralNetwork.load(path).hnodes == 4


@pytest.mark.parametrize(
    "sizes", [(784, 8, 5), (784, 8, 11), (100, 8, 10)], ids=["5 outputs", "11 outputs", "100 inputs"]
)
def test_a_network_that_does_not_read_28x28_images_as_10_digits_is_refused_for_mnist(tmp_path, sizes):
    path = tmp_path / "other.npz"
    NeuralNetwork(*sizes, deskew=False).save(path)

    with pytest.raises(ModelFileError, match=f"{sizes[0]} inputs and {sizes[2]} outputs"):
        load_mnist_network(path)


def test_saving_over_a_model_replaces_it(tmp_path):
    path = tmp_path / "model.npz"
    saved_network(path)
    other = NeuralNetwork(784, 8, 10, seed=9)

    other.save(path)

    np.testing.assert_array_equal(NeuralNetwork.load(path).wih, other.wih)


def test_a_failure_midway_through_saving_keeps_the_old_model_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    old = saved_network(path)
    old_bytes = path.read_bytes()
    real_savez = np.savez

    def disk_full_halfway(file, *args, **kwargs):
        buffer = io.BytesIO()
        real_savez(buffer, *args, **kwargs)
        file.write(buffer.getvalue()[: len(buffer.getvalue()) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(np, "savez", disk_full_halfway)

    with pytest.raises(ModelFileError, match="No space left"):
        NeuralNetwork(784, 8, 10, seed=9).save(path)

    assert path.read_bytes() == old_bytes
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]
    np.testing.assert_array_equal(NeuralNetwork.load(path).wih, old.wih)


def test_ctrl_c_midway_through_saving_keeps_the_old_model_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    saved_network(path)
    old_bytes = path.read_bytes()

    def interrupted(file, *args, **kwargs):
        file.write(b"PK\x03\x04 half a zip")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", interrupted)

    with pytest.raises(KeyboardInterrupt):
        NeuralNetwork(784, 8, 10).save(path)

    assert path.read_bytes() == old_bytes
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


def test_saving_where_no_folder_can_be_made_is_refused_in_one_line(tmp_path):
    (tmp_path / "file").write_text("not a folder")

    with pytest.raises(ModelFileError, match="cannot save"):
        NeuralNetwork(784, 8, 10).save(tmp_path / "file" / "model.npz")


# ---- refusing files that are not good models ------------------------------------------------


def test_a_missing_model_file_is_refused_saying_how_to_make_one(tmp_path):
    assert "mnist_train.py" in refused(tmp_path / "absent.npz")


def test_a_file_that_is_not_a_zip_at_all_is_refused(tmp_path):
    path = tmp_path / "notes.npz"
    path.write_text("weights: [0.1, 0.2]\n")

    assert "not a myonn model file" in refused(path)


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.npz"
    path.write_bytes(b"")

    assert "not a myonn model file" in refused(path)


def test_a_model_file_cut_short_is_refused(tmp_path):
    path = tmp_path / "model.npz"
    saved_network(path)
    path.write_bytes(path.read_bytes()[:5000])

    assert "damaged model file" in refused(path)


def test_a_single_npy_array_is_refused(tmp_path):
    path = tmp_path / "weights.npy"
    np.save(path, np.zeros((200, 784), np.float32))

    assert "not a myonn model file" in refused(path)


def test_an_npz_without_metadata_is_refused(tmp_path):
    path = tmp_path / "weights.npz"
    network = NeuralNetwork(784, 16, 10)
    np.savez(path, **{name: getattr(network, name) for name in WEIGHTS})

    assert "no metadata" in refused(path)


def test_metadata_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "model.npz"
    saved_network(path)
    with np.load(path) as npz:
        contents = {name: npz[name] for name in npz.files}
    contents["metadata"] = np.array("layer_sizes = 784, 16, 10")
    np.savez(path, **contents)

    assert "not JSON" in refused(path)


def test_an_npz_of_another_program_is_refused(tmp_path):
    path = tmp_path / "model.npz"
    saved_network(path)
    resave(path, {"format": "keras"})

    assert "not a myonn model file" in refused(path)


def test_a_pickled_npz_is_refused_without_being_unpickled(tmp_path):
    path, marker = tmp_path / "model.npz", tmp_path / "unpickled"
    bomb = np.array([Touch(marker)], dtype=object)
    np.savez(path, metadata=bomb, **{name: bomb for name in WEIGHTS})

    assert "not a myonn model file" in refused(path)

    assert not marker.exists()
    with np.load(path, allow_pickle=True) as npz:  # the check can fail: unpickling does run code
        npz["metadata"]
    assert marker.exists()


def test_a_bare_pickle_under_a_model_name_is_refused_without_being_unpickled(tmp_path):
    path, marker = tmp_path / "model.npz", tmp_path / "unpickled"
    path.write_bytes(pickle.dumps({"wih": Touch(marker)}))

    assert "not a myonn model file" in refused(path)
    assert not marker.exists()


def test_the_refusal_of_a_pickle_never_suggests_unpickling_it(tmp_path):
    path = tmp_path / "model.npz"
    path.write_bytes(pickle.dumps({"wih": [0.1, 0.2]}))

    message = refused(path)

    assert "allow_pickle" not in message and "pickle.load" not in message


def test_a_file_of_a_newer_format_version_is_refused_asking_to_update_myonn(tmp_path):
    path = tmp_path / "model.npz"
    saved_network(path)
    resave(path, {"format_version": 2})

    message = refused(path)

    assert "version 2" in message and "update myonn" in message
    assert "damaged" not in message and "mnist_train.py" not in message  # the file is fine


@pytest.mark.parametrize("version", [0, "1", None], ids=["0", "text", "none"])
def test_a_format_version_no_myonn_wrote_is_refused_as_damaged_asking_to_retrain(tmp_path, version):
    path = tmp_path / "model.npz"
    saved_network(path)
    resave(path, {"format_version": version})

    message = refused(path)

    assert "damaged" in message and "mnist_train.py" in message and "update" not in message


def test_weights_whose_shape_disagrees_with_the_layer_sizes_are_refused(tmp_path):
    path = tmp_path / "model.npz"
    saved_network(path)
    resave(path, wih=np.zeros((16, 783), np.float32))

    assert "wih" in refused(path)


def test_layer_sizes_that_disagree_with_the_weights_are_refused(tmp_path):
    path = tmp_path / "model.npz"
    saved_network(path)
    resave(path, {"layer_sizes": [784, 17, 10]})

    assert "expected (17, 784)" in refused(path)


def test_damaged_layer_sizes_are_refused(tmp_path):
    path = tmp_path / "model.npz"
    saved_network(path)
    resave(path, {"layer_sizes": [784, 16]})

    assert "layer sizes" in refused(path)


def test_a_missing_weight_array_is_refused(tmp_path):
    path = tmp_path / "model.npz"
    saved_network(path)
    resave(path, bo=None)

    assert "no bo weights" in refused(path)


def test_whole_number_weights_are_refused(tmp_path):
    path = tmp_path / "model.npz"
    saved_network(path)
    resave(path, bh=np.zeros(16, np.int64))

    assert "bh" in refused(path)


@pytest.mark.parametrize("bad_value", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "minus-inf"])
def test_a_weight_that_is_not_a_finite_number_is_refused(tmp_path, bad_value):
    path = tmp_path / "model.npz"
    saved_network(path)
    with np.load(path) as npz:
        who = npz["who"].copy()
    who[3, 7] = bad_value
    resave(path, who=who)

    assert "NaN or infinite" in refused(path)


def test_a_saved_model_gets_ordinary_file_permissions_not_the_temporary_files_private_ones(tmp_path):
    path = tmp_path / "model.npz"
    umask = os.umask(0o022)
    try:
        NeuralNetwork(784, 8, 10).save(path)
    finally:
        os.umask(umask)

    assert path.stat().st_mode & 0o777 == 0o644


# ---- backquery ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def deskewed_averages(train_set):
    """Each digit's average deskewed image over the first 10,000 MNIST training images."""
    images, labels = train_set
    straight = imaging.deskew(images[:10000]).astype(np.float64)
    return np.stack([straight[labels[:10000] == digit].mean(axis=0) for digit in range(10)])


def digits_imagined_like_their_average(network, averages):
    """For how many digits the backquery correlates best with that digit's own average."""
    right = 0
    for digit in range(10):
        imagined = network.backquery(digit).astype(np.float64).ravel()
        correlations = [np.corrcoef(imagined, average.ravel())[0, 1] for average in averages]
        right += int(np.argmax(correlations) == digit)
    return right


def test_backquery_imagines_most_digits_like_their_average_deskewed_image(small_model, deskewed_averages):
    assert digits_imagined_like_their_average(small_model, deskewed_averages) >= 8


def test_the_shipped_network_imagines_most_digits_like_their_average_deskewed_image(deskewed_averages):
    assert digits_imagined_like_their_average(NeuralNetwork.load(SHIPPED_MODEL), deskewed_averages) >= 7


def test_backquery_is_a_28x28_image_using_every_shade():
    imagined = NeuralNetwork(784, 20, 10, seed=2).backquery(5)
    assert imagined.dtype == np.uint8 and imagined.shape == (28, 28)
    assert imagined.min() == 0 and imagined.max() == 255


@pytest.mark.parametrize("digit", [-1, 10, 2.5])
def test_backquery_of_something_not_a_digit_is_refused(digit):
    with pytest.raises(ValueError, match="0 to 9"):
        NeuralNetwork(784, 20, 10, seed=2).backquery(digit)


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts open descriptors in Linux's /proc")
def test_saving_leaves_no_file_or_folder_open(tmp_path):

    network = NeuralNetwork(784, 8, 10, seed=0)
    network.save(tmp_path / "warm.npz")  # imports and caches settle first
    before = len(os.listdir("/proc/self/fd"))
    for i in range(20):
        network.save(tmp_path / "m.npz")
    assert len(os.listdir("/proc/self/fd")) == before  # not one descriptor more per save


def test_a_mask_of_zeros_and_ones_silences_the_nodes_marked_1_as_a_boolean_mask_does():
    """A learner may write the mask as a Python list of 0s and 1s: it is a mask, not a list of node numbers."""
    network = NeuralNetwork(784, 6, 10, seed=2)
    inputs = np.random.default_rng(0).random((3, 784), dtype=np.float32)
    mask = [0, 1, 0, 0, 1, 1]
    hidden, _ = network.forward(inputs, mask)
    plain, _ = network.forward(inputs)
    assert (hidden[:, [1, 4, 5]] == 0).all()
    assert np.array_equal(hidden[:, [0, 2, 3]], plain[:, [0, 2, 3]]) and (plain[:, [0, 2, 3]] > 0).all()
