"""The advdir Python module under Debian's /usr/bin/python3 (ctest "python"): each function
on values derived by hand, numpy floats read as the doubles they are, a PyTorch model read
from its state against the same model through ONNX and against libtorch in float64,
certificates checked and refused once edited, and the errors."""
import json
import threading
from fractions import Fraction

import numpy as np
import pytest
import torch

import advdir

# o = relu(x1 - x2) + relu(x1 + x2 - 1/2) - 1, decided by its sign
MLP = {"kind": "mlp", "layers": [{"W": [["1", "-1"], ["1", "1"]], "b": ["0", "-1/2"]}, {"W": [["1", "1"]], "b": ["-1"]}]}


@pytest.fixture
def mlp(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(json.dumps(MLP))
    return advdir.load_model(path)


def test_eval_by_hand(mlp):
    assert (mlp.inputs, mlp.outputs) == (2, 1)
    # (1/2, 1/4): both units 1/4, o = -1/2; (1, 0): units 1 and 1/2, o = 1/2
    assert advdir.eval(mlp, [Fraction(1, 2), "0.25"]) == ([Fraction(-1, 2)], -1)
    assert advdir.eval(mlp, np.array([1.0, 0.0])) == ([Fraction(1, 2)], 1)


def test_numpy_floats_are_the_doubles_they_hold(tmp_path):
    path = tmp_path / "identity.json"
    path.write_text(json.dumps({"kind": "mlp", "layers": [{"W": [["1"]], "b": ["0"]}]}))
    model = advdir.load_model(path)
    (y,), _ = advdir.eval(model, np.array([0.1]))
    assert y == Fraction(0.1) and y != Fraction(1, 10)
    (y,), _ = advdir.eval(model, np.array([0.1], dtype=np.float32))
    assert y == Fraction(float(np.float32(0.1)))


def test_ray_by_hand_and_its_certificate(mlp, tmp_path):
    cert = tmp_path / "ray.json"
    # along (1, 0) from (1/2, 1/4): o = 2c - 1/2 with both units on; 0 at c = 1/4, > 0 past it
    r = advdir.ray(mlp, ["1/2", "1/4"], [1, 0], certificate=cert)
    assert r == {"adversarial": True, "label_before": -1, "label_after": 1, "c_exit": Fraction(1, 4),
                 "differs_at_exit": False, "breakpoints": []}
    assert advdir.check(cert) == {"valid": True, "reason": ""}
    edited = json.loads(cert.read_text())
    edited["c_exit"] = "1/3"
    cert.write_text(json.dumps(edited))
    verdict = advdir.check(cert)
    assert not verdict["valid"] and verdict["reason"]
    # along (-1, 0) the first unit's kink is at c = 1/4 and the label stays -1
    r = advdir.ray(mlp, ["1/2", "1/4"], [-1, 0])
    assert not r["adversarial"] and r["breakpoints"][0] == Fraction(1, 4)


def small_convnet():
    torch.manual_seed(3)
    return torch.nn.Sequential(torch.nn.Conv2d(1, 3, 3, padding=1, stride=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                               torch.nn.Conv2d(3, 4, 2, groups=1), torch.nn.ReLU(), torch.nn.AvgPool2d(2, padding=1),
                               torch.nn.Flatten(), torch.nn.Linear(4 * 2 * 2, 5))


def test_torch_model_from_its_state_against_onnx_and_libtorch(tmp_path):
    net = small_convnet().eval()
    exact = advdir.from_torch(net, (1, 6, 6))
    onnx_path = tmp_path / "net.onnx"
    torch.onnx.export(net, torch.zeros(1, 1, 6, 6), str(onnx_path), opset_version=13)
    through_onnx = advdir.load_model(onnx_path)
    rng = np.random.default_rng(5)
    for _ in range(5):
        x = rng.random((1, 1, 6, 6)).astype(np.float32)
        y, label = advdir.eval(exact, x)
        assert (y, label) == advdir.eval(through_onnx, x)  # two readers, the same rationals
        with torch.no_grad():
            ref = net.double()(torch.from_numpy(x).double()).reshape(-1).tolist()
        net.float()
        assert all(abs(float(a) - b) <= 1e-9 * max(1.0, abs(b)) for a, b in zip(y, ref))
        assert label == int(np.argmax(ref))


def test_torch_ray_certificate_is_checked(tmp_path):
    net = small_convnet().eval()
    model = advdir.from_torch(net, (1, 6, 6))
    rng = np.random.default_rng(7)
    x, v = rng.random(36), rng.standard_normal(36)
    cert = tmp_path / "ray.json"
    r = advdir.ray(model, x, v, certificate=cert)
    assert r["label_before"] == advdir.eval(model, x)[1]
    if r["adversarial"]:
        after = [Fraction(a) + (r["c_exit"] + Fraction(1, 10**9)) * Fraction(b) for a, b in zip(x.tolist(), v.tolist())]
        assert advdir.eval(model, after)[1] == r["label_after"]
    assert advdir.check(cert)["valid"]


def test_liblinear_model(tmp_path):
    path = tmp_path / "svm.model"
    path.write_text("solver_type L2R_L2LOSS_SVC_DUAL\nnr_class 3\nlabel 0 1 2\nnr_feature 2\nbias -1\nw\n"
                    "1 0 -1 \n0 1 -1 \n")
    model = advdir.load_model(path)
    # scores (x1, x2, -x1 - x2): at (1/4, 1/2) the second is largest
    assert advdir.eval(model, ["1/4", "1/2"]) == ([Fraction(1, 4), Fraction(1, 2), Fraction(-3, 4)], 1)


def test_errors_carry_the_command_lines_message(mlp, tmp_path):
    with pytest.raises(advdir.Error, match=r"x\[1\]: 'one' is not a rational"):
        advdir.eval(mlp, ["1", "one"])
    with pytest.raises(advdir.Error, match="x: has 3 entries, the model takes 2"):
        advdir.eval(mlp, [1, 2, 3])
    with pytest.raises(advdir.Error, match="dimension mismatch"):
        advdir.ray(mlp, [1, 2], [1])
    with pytest.raises(advdir.Error, match="missing.onnx"):
        advdir.load_model(tmp_path / "missing.onnx")
    with pytest.raises(advdir.Error, match=r"x\[0\]: a bool is not a number"):
        advdir.eval(mlp, [True, 0])
    with pytest.raises(advdir.Error, match=r"x\[0\]: inf is not a rational"):
        advdir.eval(mlp, np.array([np.inf, 0.0]))
    with pytest.raises(ValueError, match="Sigmoid"):
        advdir.from_torch(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Sigmoid()), (2,))
    assert issubclass(advdir.Error, ValueError)
    with pytest.raises(advdir.Error, match="missing.json: cannot open"):
        advdir.check(tmp_path / "missing.json")


def test_walks_release_the_gil(mlp):
    # Many walks on four threads give the answers one thread gives.
    want = advdir.ray(mlp, ["1/2", "1/4"], [1, 0])
    results = []

    def work():
        results.extend(advdir.ray(mlp, ["1/2", "1/4"], [1, 0]) for _ in range(50))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 200 and all(r == want for r in results)


# (0, 0) labelled -1 against (2, 1) and (2, -1): w* = (1, 0), b* = -1, margin 1 (by hand:
# the closest points are (0, 0) and the two at x1 = 2, the boundary x1 = 1 halfway).
POINTS, LABELS = np.array([[0.0, 0.0], [2.0, 1.0], [2.0, -1.0]]), [-1, 1, 1]


def test_separator_by_hand_and_checked(tmp_path):
    cert = advdir.separator(POINTS, LABELS, certificate=tmp_path / "sep.json")
    assert cert["theorem"] == "lemma3"
    assert cert["w_star"] == [1, 0] and cert["b_star"] == -1 and cert["margin_sq"] == 1
    assert advdir.check(tmp_path / "sep.json")["valid"]
    # the same points as strings and Fractions
    assert advdir.separator([["0", "0"], [2, 1], [Fraction(2), "-1"]], LABELS)["w_star"] == [1, 0]


def test_farkas_when_not_separable():
    # XOR: (0,0), (1,1) against (1,0), (0,1); lambda = 1/4 each sums y_i (x_i, 1) to 0
    cert = advdir.separator(np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]]), [1, 1, -1, -1])
    assert cert["theorem"] == "farkas" and len(cert["support"]) == 4


def test_certify_theorem4_by_hand(tmp_path):
    # h = [x1 + x2/2 - 1/2 > 0] is accurate: margins 1/2, 2, 1; <w, w*> = 1, so point i exits at c = margin_i
    r = advdir.certify_theorem4(POINTS, LABELS, tmp_path / "t4.json", classifiers=[([1, "1/2"], "-1/2")])
    assert r == {"certified": 1, "rejected": 0, "margin_sq": 1, "valid": True}
    cert = json.loads((tmp_path / "t4.json").read_text())
    assert cert["classifiers"][0]["c_exit"] == ["1/2", "2", "1"]
    assert advdir.check(tmp_path / "t4.json")["valid"]
    # a classifier wrong on (0, 0) is not certified
    r = advdir.certify_theorem4(POINTS, LABELS, tmp_path / "t4b.json", classifiers=[([1, 0], "1")])
    assert r["certified"] == 0 and r["rejected"] == 1
    with pytest.raises(advdir.Error, match="not linearly separable"):
        advdir.certify_theorem4(np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]]), [1, 1, -1, -1], tmp_path / "x.json")
    with pytest.raises(advdir.Error, match="y: has 2 labels for 3 points"):
        advdir.separator(POINTS, [1, -1])


# Theorem 15 on a line: f(x) = relu(x), +1 iff f(x) > 1; -1 points 0 and 1/2, +1 point 2.
# From x_alpha = 0 to x_beta = 2, v = 2: x + c v leaves -1 just past c = (1 - x) / 2, so
# c_exit is 1/2 and 1/4; D = f(2) - f(0) = 2, K = |x - 0|, c_bound = max(1, (1 + K) / 2) = 1.
RELU2 = {"kind": "relu2", "W": [["1"]], "b": ["0"], "v": ["1"], "threshold": "1", "rule": "gt"}
LINE, LINE_LABELS = [["0"], ["1/2"], ["2"]], [-1, -1, 1]


def test_certify_theorem15_by_hand(tmp_path):
    r = advdir.certify_theorem15(LINE, LINE_LABELS, RELU2, tmp_path / "t15.json", alpha=0, beta=2)
    assert (r["alpha"], r["beta"], r["D"], r["valid"]) == (0, 2, 2, True)
    assert [(p["point"], p["K"], p["c_bound"], p["c_exit"], p["differs_at_exit"]) for p in r["points"]] == [
        (0, 0, 1, Fraction(1, 2), False), (1, Fraction(1, 2), 1, Fraction(1, 4), False)]
    assert advdir.check(tmp_path / "t15.json")["valid"]
    # The other pair (x_alpha = 1/2) ties at largest c_bound 1, so the search keeps the first.
    net = tmp_path / "relu2.json"
    net.write_text(json.dumps(RELU2))
    assert advdir.certify_theorem15(np.array([[0.0], [0.5], [2.0]]), LINE_LABELS, net, tmp_path / "t15b.json")["alpha"] == 0
    cert = json.loads((tmp_path / "t15.json").read_text())
    cert["points"][1]["c_exit"] = "1/3"
    (tmp_path / "edited.json").write_text(json.dumps(cert))
    assert not advdir.check(tmp_path / "edited.json")["valid"]


def test_certify_theorem15_refuses(tmp_path):
    with pytest.raises(advdir.Error, match="v"):  # a negative output weight: outside R' (Lemma 14)
        advdir.certify_theorem15(LINE, LINE_LABELS, dict(RELU2, v=["-1"], threshold="-1"), tmp_path / "x.json")
    with pytest.raises(advdir.Error, match="misclassif|labels"):  # relu(x) > 1/4 calls 1/2 +1
        advdir.certify_theorem15(LINE, LINE_LABELS, dict(RELU2, threshold="1/4"), tmp_path / "x.json")
    with pytest.raises(advdir.Error, match="missing.json"):
        advdir.certify_theorem15(LINE, LINE_LABELS, tmp_path / "missing.json", tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()


# The MLP above (o = relu(x1 - x2) + relu(x1 + x2 - 1/2) - 1) against "o < 0 on [0, 1]^2":
# at (1, 0), o = 1 + 1/2 - 1 = 1/2 >= 0, a counterexample; at (1/4, 1/4), o = -1, none;
# at (3/2, 0) X_0 is 1/2 past its bound.
PROPERTY = """(declare-const X_0 Real)
(declare-const X_1 Real)
(declare-const Y_0 Real)
(assert (>= X_0 0))
(assert (<= X_0 1))
(assert (>= X_1 0))
(assert (<= X_1 1))
(assert (>= Y_0 0))
"""


def test_vnnlib_check_by_hand(tmp_path):
    net, prop = tmp_path / "net.json", tmp_path / "p.vnnlib"
    net.write_text(json.dumps(MLP))
    prop.write_text(PROPERTY)
    (tmp_path / "yes").write_text("((X_0 1.0)\n (X_1 0)\n (Y_0 0.5))\n")
    d = advdir.vnnlib_check(net, prop, tmp_path / "yes", certificate=tmp_path / "ce.json")
    assert d["counterexample"] and d["inside_region"] and d["output_condition"]
    assert d["outputs"] == [Fraction(1, 2)] and d["y_file_max_diff"] == 0 and d["tolerance_1e-4_replay"] is True
    assert d["assertions"][4]["slack"] == Fraction(1, 2)
    assert advdir.check(tmp_path / "ce.json")["valid"]

    (tmp_path / "no").write_text("((X_0 0.25)\n (X_1 0.25)\n (Y_0 -0.5))\n")
    d = advdir.vnnlib_check(net, prop, tmp_path / "no", certificate=tmp_path / "none.json")
    assert not d["counterexample"] and not d["output_condition"] and d["inside_region"]
    assert d["outputs"] == [-1] and d["unmet"][0]["excess"] == 1 and d["y_file_max_diff"] == Fraction(1, 2)
    assert not (tmp_path / "none.json").exists()

    (tmp_path / "out").write_text("((X_0 1.5)\n (X_1 0))\n")
    d = advdir.vnnlib_check(net, prop, tmp_path / "out")
    assert not d["inside_region"] and d["violations"][0]["assertion"] == 2 and d["violations"][0]["excess"] == Fraction(1, 2)
    assert d["tolerance_1e-4_replay"] is None  # the file gives no Y

    # 0.1 is no float32: read as one it is 0.1f = 13421773 / 2^27, and o = relu(x) + 0 - 1
    (tmp_path / "f32").write_text("((X_0 0.1)\n (X_1 0))\n")
    assert advdir.vnnlib_check(net, prop, tmp_path / "f32", x_reading="float32")["outputs"] == [Fraction(13421773, 2**27) - 1]
    with pytest.raises(advdir.Error, match="x_reading"):
        advdir.vnnlib_check(net, prop, tmp_path / "f32", x_reading="float")
    with pytest.raises(advdir.Error, match="missing.vnnlib"):
        advdir.vnnlib_check(net, tmp_path / "missing.vnnlib", tmp_path / "f32")
