"""advdir from Python: exact evaluation, exact rays and their certificates, the checker.

Numbers go in as numpy arrays (a float array is read exactly, as the doubles it holds),
lists of ints, Fractions or strings ("-3/7", "0.125"); they come out as Fractions. Models:
ONNX, advdir JSON, .nnet and LIBLINEAR files, or a PyTorch nn.Sequential of Linear, Conv2d,
ReLU, MaxPool2d, AvgPool2d and Flatten (its float32 weights read exactly).

    >>> import advdir, numpy as np
    >>> net = advdir.load_model("net.onnx")
    >>> y, label = advdir.eval(net, np.zeros(784))
    >>> r = advdir.ray(net, x, v, certificate="ray.cert.json")
    >>> advdir.check("ray.cert.json")["valid"]
    True

Errors are advdir.Error (a ValueError) with the command line's one-line message.
"""
import json as _json
from fractions import Fraction

from . import _advdir
from ._advdir import Error, Model

__version__ = _advdir.__version__
__all__ = ["Error", "Model", "load_model", "from_torch", "eval", "ray", "check", "separator", "certify_theorem4",
           "certify_theorem15", "vnnlib_check"]


def _rationals(values, what):
    """Each entry as the exact rational string the library reads."""
    if hasattr(values, "tolist"):  # numpy arrays (and torch tensors): floats are exact doubles
        values = values.reshape(-1).tolist() if hasattr(values, "reshape") else values.tolist()
    out = []
    for i, v in enumerate(values):
        if isinstance(v, bool):
            raise Error(f"{what}[{i}]: a bool is not a number")
        if isinstance(v, float):
            if v != v or v in (float("inf"), float("-inf")):
                raise Error(f"{what}[{i}]: {v} is not a rational")
            num, den = v.as_integer_ratio()
            out.append(f"{num}/{den}")
        elif isinstance(v, (int, Fraction)):
            out.append(str(Fraction(v)))
        elif isinstance(v, str):
            out.append(v)
        else:
            raise Error(f"{what}[{i}]: {type(v).__name__} is not a number (float, int, Fraction or str)")
    return out


def load_model(path, format="", batchnorm_float32=False):
    """A model file read exactly: .onnx/.onnx.gz, advdir JSON, .nnet, LIBLINEAR."""
    return _advdir.load_model(str(path), format, batchnorm_float32)


def _floats(values):
    """A numpy (or torch) float array, flat, else None: read in C++ as the doubles it holds."""
    if hasattr(values, "detach"):
        values = values.detach().cpu().numpy()
    if hasattr(values, "dtype") and getattr(values.dtype, "kind", "") == "f" and values.dtype.itemsize <= 8:
        return values.reshape(-1)
    return None


def eval(model, x):
    """The exact outputs at x (Fractions) and the label (sign of one output, else the first largest)."""
    fx = _floats(x)
    outputs, label = _advdir.eval_f64(model, fx) if fx is not None else _advdir.eval(model, _rationals(x, "x"))
    return [Fraction(o) for o in outputs], label


def _fractions(answer):
    for key in ("c_exit", "score", "slope"):
        if key in answer:
            answer[key] = Fraction(answer[key])
    if "breakpoints" in answer:
        answer["breakpoints"] = [Fraction(b) for b in answer["breakpoints"]]
    return answer


def ray(model, x, v, certificate=None):
    """The exact exit along x + c v, c > 0: a dict with adversarial, label_before,
    breakpoints and, when adversarial, c_exit, label_after, differs_at_exit. With
    certificate a path, the ray certificate is written there for check()."""
    fx, fv = _floats(x), _floats(v)
    if fx is not None and fv is not None:
        answer, cert = _advdir.ray_f64(model, fx, fv, certificate is not None)
    else:
        answer, cert = _advdir.ray(model, _rationals(x, "x"), _rationals(v, "v"), certificate is not None)
    if certificate is not None:
        _advdir.write_file_atomic(str(certificate), cert + "\n")
    return _fractions(_json.loads(answer))


def _points(X, what="X"):
    """A 2-D float array as is (its doubles, exactly), else rows of rational strings."""
    if hasattr(X, "dtype") and getattr(X.dtype, "kind", "") == "f" and X.dtype.itemsize <= 8 and X.ndim == 2:
        return X, True
    return [_rationals(row, f"{what}[{i}]") for i, row in enumerate(X)], False


def _labels(y):
    return [int(v) for v in (y.tolist() if hasattr(y, "tolist") else y)]


def separator(X, y, certificate=None):
    """The exact max-margin separator of the points X (one a row) labelled y (+1 / -1), or
    the Farkas certificate that none exists, as the checker reads them (theorem "lemma3":
    w_star, b_star, margin_sq, support, alpha; or "farkas": support, lambda), with Fractions.
    With certificate a path, it is written there and verified by the checker."""
    points, floats = _points(X)
    text = (_advdir.separator_f64 if floats else _advdir.separator)(points, _labels(y), str(certificate or ""))
    cert = _json.loads(text)
    cert.pop("data", None)
    for key, value in list(cert.items()):
        if isinstance(value, str) and key not in ("format", "theorem"):
            cert[key] = Fraction(value)
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            cert[key] = [Fraction(v) for v in value]
    return cert


def certify_theorem4(X, y, certificate, classifiers=(), theorem="theorem4"):
    """Theorem 4 (theorem="theorem5" or "corollary6" for those) on separable data: for each
    classifier (w, b) accurate on it (none given: w* itself), every point's exact exit along
    -y w*; the certificate written to `certificate` and verified by the checker. Returns
    {"certified": how many classifiers, "rejected": how many were not accurate, "margin_sq":
    S's squared margin (a Fraction), "valid": bool}."""
    points, floats = _points(X)
    given = [(_rationals(w, f"classifiers[{k}].w"), _rationals([b], f"classifiers[{k}].b")[0]) for k, (w, b) in enumerate(classifiers)]
    text = (_advdir.certify_linear_f64 if floats else _advdir.certify_linear)(theorem, points, _labels(y), given, str(certificate))
    answer = _json.loads(text)
    answer["margin_sq"] = Fraction(answer["margin_sq"])
    return answer


def certify_theorem15(X, y, net, certificate, alpha=None, beta=None):
    """Theorem 15 on the points X labelled y (+1 / -1) for a two-layer ReLU net in R' (advdir
    JSON kind "relu2" with every v_j >= 0, classifying X correctly): the direction
    v = x_beta - x_alpha from a -1 point to a +1 point (indices into X; not given: the pair
    with the least largest c_bound) is adversarial at every -1 point. net: the JSON file's
    path or its dict. The certificate is written to `certificate` and verified by the
    checker. Returns {"alpha", "beta", "D", "points": [{"point", "K", "c_bound", "c_exit",
    "differs_at_exit"}], "valid"}, with Fractions."""
    if isinstance(net, dict):
        text, source = _json.dumps(net), "net"
    else:
        text, source = "", str(net)  # read in C++: errors name the file
    points, floats = _points(X)
    answer = _json.loads((_advdir.certify_theorem15_f64 if floats else _advdir.certify_theorem15)(
        points, _labels(y), text, source, alpha, beta, str(certificate)))
    answer["D"] = Fraction(answer["D"])
    for p in answer["points"]:
        for key in ("K", "c_bound", "c_exit"):
            p[key] = Fraction(p[key])
    return answer


def vnnlib_check(net, property, counterexample, certificate=None, x_reading="decimal"):
    """A verification tool's counterexample file (VNN-COMP's ((X_0 v) ... (Y_0 v) ...)) to
    a VNNLIB property, decided exactly on the net (ONNX, advdir JSON, .nnet), as
    `advdir vnnlib check --json` prints it: inside_region, outputs (Fractions), output_condition,
    the violations and unmet conditions, each assertion's slack, the competition's 1e-4
    replay, and "counterexample". x_reading="float32" rounds each X_i to the nearest float32
    first. With certificate a path and an exact counterexample, the certificate is written
    there and verified (ONNX and JSON nets)."""
    d = _json.loads(_advdir.vnnlib_check(str(net), str(property), str(counterexample), x_reading, str(certificate or "")))
    d["outputs"] = [Fraction(o) for o in d["outputs"]]
    for a in d["assertions"]:
        a["slack"] = Fraction(a["slack"])
    for m in d["violations"] + d["unmet"]:
        m["excess"] = Fraction(m["excess"])
    if d["y_file_max_diff"] is not None:
        d["y_file_max_diff"] = Fraction(d["y_file_max_diff"])
    return d


def check(path):
    """The independent checker on a certificate file: {"valid": bool, "reason": str};
    advdir.Error when the file cannot be read."""
    valid, reason = _advdir.check_file(str(path))
    return {"valid": valid, "reason": reason}


def from_torch(module, input_shape):
    """A PyTorch nn.Sequential of Linear, Conv2d, ReLU, MaxPool2d, AvgPool2d and Flatten as an
    exact model: its float32 (or float64) weights read exactly. input_shape: one input's
    shape without the batch, e.g. (1, 28, 28)."""
    from ._torch import sequential_graph
    text = _json.dumps(sequential_graph(module, tuple(input_shape)))
    return _advdir.graph_from_json(text, type(module).__name__)
