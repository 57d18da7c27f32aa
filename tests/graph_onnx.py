"""advdir's exact graph engine on ONNX nets made here: exported by torch.onnx from nets with
each operator and attribute variant, and built by hand with onnx.helper for what an
exporter does not emit. For each net, advdir's exact outputs must equal an independent
rational evaluation (onnx_fractions.py) and libtorch's float64 evaluation to 1e-9
relative; its rays must agree with the rational evaluation at and around every breakpoint;
import, JSON graphs and the ONNX written back must give the same outputs; every refusal
must name the node and the problem.

usage: /usr/bin/python3 graph_onnx.py ADVDIR"""
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import warnings
from fractions import Fraction

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_fractions as rq  # noqa: E402

warnings.filterwarnings("ignore")  # torch.onnx's export notes
ADVDIR = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="advdir-graph-")
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what, flush=True)


def advdir(*args, expect=0):
    r = subprocess.run([ADVDIR, *map(str, args)], capture_output=True, text=True)
    if r.returncode != expect:
        raise AssertionError(f"advdir {' '.join(map(str, args))}: exit {r.returncode}: {r.stderr.strip()}")
    return r


def point_file(values, name):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(",".join(str(Fraction(v)) for v in values))
    return "@" + path


def label_of(outputs):
    if len(outputs) == 1:
        return 1 if outputs[0] > 0 else -1
    best = 0
    for m in range(1, len(outputs)):
        if outputs[m] > outputs[best]:
            best = m
    return best


def rational_outputs(model, x_flat, shape, bn32=False):
    x = np.array(x_flat, dtype=object).reshape(shape)
    values = rq.evaluate(model, x, bn32)
    return list(values[model.graph.output[0].name].reshape(-1)), values


# --- nets exported by torch.onnx ---------------------------------------------------------


class Residual(nn.Module):  # conv, relu, conv, + x, relu, global average pool, fc
    def __init__(self):
        super().__init__()
        self.c1, self.c2, self.fc = nn.Conv2d(3, 3, 3, padding=1), nn.Conv2d(3, 3, 3, padding=1), nn.Linear(3, 4)

    def forward(self, x):
        y = F.relu(self.c1(x))
        y = F.relu(self.c2(y) + x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(y, 1), 1))


class Normalised(nn.Module):  # (x - mean) / std by constants, as ERAN's nets, then an MLP
    def __init__(self):
        super().__init__()
        self.mean, self.std = torch.tensor([0.25, -0.5, 0.125, 1.0]), torch.tensor([2.0, 0.5, 4.0, 0.25])
        self.net = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3))

    def forward(self, x):
        return self.net((x - self.mean) / self.std)


class NHWC(nn.Module):  # an NHWC input transposed in the graph, reshaped, concatenated branches
    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Conv2d(2, 2, 3, stride=2, padding=1), nn.Conv2d(2, 3, 1)
        self.fc = nn.Linear(5 * 3 * 3, 2)

    def forward(self, x):
        x = x.permute(0, 3, 1, 2)
        y = torch.cat([F.relu(self.a(x)), self.b(F.max_pool2d(x, 2, 2))], 1)
        return self.fc(y.reshape(1, -1))


class Padded(nn.Module):  # reflect, replicate and constant pads, 1-D conv and pool, unsqueeze/squeeze
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv1d(2, 3, 3, dilation=2)
        self.c2 = nn.Conv2d(2, 2, 2)
        self.fc = nn.Linear(3 * 22 + 2 * 4 * 5, 3)

    def forward(self, x):
        a = F.pad(x, (1, 2, 2, 1), mode="reflect")
        a = F.pad(a, (1, 0, 0, 1), mode="replicate")
        a = F.relu(self.c2(F.pad(a, (1, 1, 0, 0), value=0.5)))
        a = F.max_pool2d(a, 2, 2, ceil_mode=True)
        r = F.max_pool1d(F.relu(self.c1(x.reshape(1, 2, 25))), 2, 1, padding=1)
        r = r.unsqueeze(2).squeeze(2)
        return self.fc(torch.cat([r.reshape(1, -1), a.reshape(1, -1)], 1))


def torch_nets():
    torch.manual_seed(0)
    seq = nn.Sequential
    bn = nn.BatchNorm2d(3, eps=0.25)  # var + eps a square for every channel: scales 2, -1/2, 1/2
    bn.running_var = torch.tensor([0.0, 2.0, 6.0])
    bn.running_mean = torch.tensor([0.5, -0.25, 0.0])
    bn.weight.data, bn.bias.data = torch.tensor([1.0, -0.75, 1.25]), torch.tensor([0.125, 0.0, -1.0])
    bn_irr = nn.BatchNorm2d(3)
    bn_irr.running_var = torch.tensor([1.0, 2.0, 3.0])
    return [
        # name, module, input shape, opset, advdir flags
        ("strided", seq(nn.Conv2d(2, 4, 3, stride=2, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 4 * 4, 3)), (1, 2, 8, 8), 13, []),
        ("grouped", seq(nn.Conv2d(4, 4, 3, groups=2, dilation=2, padding=2, bias=False), nn.ReLU(), nn.Conv2d(4, 2, (1, 3), stride=(1, 2)),
                        nn.Flatten(), nn.Linear(2 * 6 * 2, 1)), (1, 4, 6, 6), 11, []),
        ("maxpool", seq(nn.Conv2d(1, 3, 3), nn.MaxPool2d(3, stride=2, padding=1), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True),
                        nn.Flatten(), nn.Linear(3 * 2 * 2, 4)), (1, 1, 9, 9), 9, []),
        ("avgpool", seq(nn.Conv2d(1, 2, 2), nn.ReLU(), nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False),
                        nn.AvgPool2d(2, padding=1, ceil_mode=True, count_include_pad=True), nn.Flatten(), nn.Linear(2 * 3 * 3, 3)),
         (1, 1, 9, 9), 13, []),
        ("residual", Residual(), (1, 3, 5, 5), 13, []),
        ("normalised", Normalised(), (1, 4), 9, []),
        ("nhwc", NHWC(), (1, 6, 6, 2), 13, []),
        ("padded", Padded(), (1, 2, 5, 5), 11, []),
        ("batchnorm", seq(nn.Conv2d(2, 3, 3), nn.ReLU(), bn, nn.Flatten(), nn.Linear(3 * 4 * 4, 2)), (1, 2, 6, 6), 13, []),
        ("batchnorm_float32", seq(nn.Conv2d(2, 3, 3), nn.ReLU(), bn_irr, nn.Flatten(), nn.Linear(3 * 4 * 4, 2)), (1, 2, 6, 6), 13,
         ["--batchnorm-float32"]),
    ]


def export(module, shape, opset, path):
    module.eval()
    torch.onnx.export(module, torch.zeros(shape), path, opset_version=opset, input_names=["x"], output_names=["y"],
                      training=torch.onnx.TrainingMode.EVAL)
    return onnx.load(path)


# --- nets built by hand ----------------------------------------------------------------


def f32(a):
    return np.asarray(a, dtype=np.float32)


def graph_model(nodes, inputs, output, inits, opset=13):
    g = helper.make_graph(nodes, "g", inputs, [helper.make_tensor_value_info(output, TensorProto.FLOAT, None)], inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])


def x_info(shape, name="x"):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, ["N", *shape[1:]])


def hand_nets():
    rng = np.random.default_rng(1)
    nets = []
    # A max-pool whose window ties, and two ReLUs whose kinks coincide with each other and
    # with the pool's switch. Along x(c) = (1 - c, c, 0, 0), by hand: h = (1 - 2c, 2 - 4c),
    # pool max(1 - c, c); for c < 1/2, y = (c, 7/4 - 5c/2), label 1; at c = 1/2 every kink,
    # the pool's switch and a tie y0 = y1 = 1/2 (label 0); past it y0 - y1 = c/2 - 1/4 > 0.
    nets.append(("ties", graph_model(
        [helper.make_node("MaxPool", ["x"], ["p"], kernel_shape=[2, 2]),
         helper.make_node("Flatten", ["x"], ["f"]),
         helper.make_node("Gemm", ["f", "W"], ["h"], transB=1),
         helper.make_node("Relu", ["h"], ["r"]),
         helper.make_node("Flatten", ["p"], ["pf"]),
         helper.make_node("Concat", ["r", "pf"], ["c"], axis=1),
         helper.make_node("Gemm", ["c", "V", "d"], ["y"], transB=1)],
        [x_info((1, 1, 2, 2))], "y",
        [numpy_helper.from_array(f32([[1, -1, 0, 0], [2, -2, 0, 0]]), "W"),
         numpy_helper.from_array(f32([[1, -1, 1], [-1, 1, 0.5]]), "V"),
         numpy_helper.from_array(f32([0, 0.25]), "d")]), (1, 1, 2, 2),
        ([1, 0, 0, 0], [-1, 1, 0, 0])))
    # ERAN style: Constant nodes into Sub and Div, a Gemm with transA on a [K, 1] column,
    # MatMul with the constant on the left, double initializers written as double_data.
    nets.append(("eran", graph_model(
        [helper.make_node("Constant", [], ["m"], value=helper.make_tensor("mv", TensorProto.FLOAT, [1], [0.1307])),
         helper.make_node("Constant", [], ["s"], value_float=0.3081),
         helper.make_node("Sub", ["x", "m"], ["a"]),
         helper.make_node("Div", ["a", "s"], ["b"]),
         helper.make_node("Reshape", ["b", "shape"], ["col"]),
         helper.make_node("Gemm", ["col", "W1"], ["h"], transA=1, alpha=0.5),
         helper.make_node("Relu", ["h"], ["r"]),
         helper.make_node("Transpose", ["r"], ["rt"], perm=[1, 0]),
         helper.make_node("MatMul", ["W2", "rt"], ["o"]),
         helper.make_node("Dropout", ["o", "", "train"], ["y"])],
        [x_info((1, 3))], "y",
        [numpy_helper.from_array(np.array([3, 1], dtype=np.int64), "shape"),
         numpy_helper.from_array(f32(rng.normal(size=(3, 5))), "W1"),
         helper.make_tensor("W2", TensorProto.DOUBLE, [2, 5], rng.normal(size=10).tolist()),
         numpy_helper.from_array(np.array(False), "train")]), (1, 3), None))
    # auto_pad SAME_UPPER and SAME_LOWER, Global max pool, opset-11 Pad with a constant value
    # input, opset-11 Squeeze by attribute, float_data initializers.
    w = rng.normal(size=(2, 1, 3, 3)).astype(np.float32)
    nets.append(("auto_pad", graph_model(
        [helper.make_node("Pad", ["x", "pads", "pv"], ["xp"], mode="constant"),
         helper.make_node("Conv", ["xp", "w"], ["c"], auto_pad="SAME_UPPER", strides=[2, 2]),
         helper.make_node("Relu", ["c"], ["r"]),
         helper.make_node("AveragePool", ["r"], ["a"], kernel_shape=[2, 2], auto_pad="SAME_LOWER"),
         helper.make_node("GlobalMaxPool", ["a"], ["g"]),
         helper.make_node("Squeeze", ["g"], ["y"], axes=[2, 3])],
        [x_info((1, 1, 5, 5))], "y",
        [numpy_helper.from_array(np.array([0, 0, 1, 0, 0, 0, 0, 1], dtype=np.int64), "pads"),
         numpy_helper.from_array(np.array(0.75, dtype=np.float32), "pv"),
         helper.make_tensor("w", TensorProto.FLOAT, [2, 1, 3, 3], w.reshape(-1).tolist())], opset=11), (1, 1, 5, 5), None))
    return nets


REFUSALS = [  # (op nodes, what the message must say)
    ([helper.make_node("Sigmoid", ["x"], ["y"], name="s1")], "node 's1' (Sigmoid): operator not supported"),
    ([helper.make_node("Relu", ["x"], ["y"], name="r1", foo=1)], "node 'r1' (Relu): attribute 'foo' is not supported"),
    ([helper.make_node("MaxPool", ["x"], ["y", "idx"], name="m1", kernel_shape=[2, 2])], "node 'm1' (MaxPool): output 1"),
    ([helper.make_node("Mul", ["x", "x"], ["y"], name="mul")], "node 'mul' (Mul): a product of two computed tensors"),
    ([helper.make_node("Div", ["one", "x"], ["y"], name="div")], "node 'div' (Div): dividing by a computed tensor"),
    ([helper.make_node("Pad", ["x", "pads4"], ["y"], name="pw", mode="wrap")], "node 'pw' (Pad): mode 'wrap'"),
    ([helper.make_node("BatchNormalization", ["x", "one1", "zero1", "zero1", "one1"], ["y"], name="bt", training_mode=1)],
     "node 'bt' (BatchNormalization): training_mode must be 0"),
    ([helper.make_node("BatchNormalization", ["x", "one1", "zero1", "zero1", "one1"], ["y"], name="bn")],
     "node 'bn' (BatchNormalization): gamma / sqrt(var + epsilon) is irrational for channel 0; fold"),
    ([helper.make_node("Gather", ["x", "idx1"], ["y"], name="ga")], "node 'ga' (Gather): operator not supported"),
    ([helper.make_node("Conv", ["x", "k3"], ["y"], name="cv", kernel_shape=[3, 3])], "node 'cv' (Conv): kernel_shape is not the kernel's shape"),
    ([helper.make_node("Relu", ["x"], ["y"], name="dom", domain="com.microsoft")], "node 'dom' (Relu): domain 'com.microsoft'"),
]


def refusals():
    inits = [numpy_helper.from_array(f32(1), "one"), numpy_helper.from_array(np.zeros(8, dtype=np.int64), "pads4"),
             numpy_helper.from_array(f32([1]), "one1"), numpy_helper.from_array(f32([0]), "zero1"),
             numpy_helper.from_array(np.array([0], dtype=np.int64), "idx1"), numpy_helper.from_array(f32(np.ones((1, 1, 2, 2))), "k3")]
    for k, (nodes, why) in enumerate(REFUSALS):
        m = graph_model(nodes, [x_info((1, 1, 2, 2))], "y", inits)
        path = os.path.join(TMP, f"refused{k}.onnx")
        onnx.save(m, path)
        r = advdir("eval", "--model", path, "--point", ",".join(["1"] * 4), expect=2)
        check(why in r.stderr and r.stderr.count("\n") == 1 and path in r.stderr, f"refusal {why!r}: {r.stderr.strip()}")


# --- the checks --------------------------------------------------------------------------


def close(a, b):
    return abs(a - b) <= 1e-9 * max(1.0, abs(b))


def check_points(name, path, model, shape, flags, torch_module, points):
    bn32 = "--batchnorm-float32" in flags
    for k, x in enumerate(points):
        out = json.loads(advdir("eval", "--model", path, "--point", point_file(x, f"{name}{k}.x"), "--json", *flags).stdout)
        got = [Fraction(v) for v in out["outputs"]]
        want, _ = rational_outputs(model, x, shape, bn32)
        check(got == want, f"{name}: exact outputs at point {k} equal the rational evaluation")
        check(out["label"] == label_of(want), f"{name}: label at point {k}")
        if torch_module is not None:
            t = torch_module.double()(torch.tensor([float(v) for v in x], dtype=torch.float64).reshape(shape)).reshape(-1).tolist()
            if bn32:  # the float32 scale differs from float64's sqrt by up to 2^-24 relative
                check(all(abs(float(g) - f) <= 1e-6 * max(1.0, abs(f)) for g, f in zip(got, t)), f"{name}: float64 libtorch within 1e-6")
            else:
                check(all(close(float(g), f) for g, f in zip(got, t)), f"{name}: float64 libtorch agrees to 1e-9 at point {k}: {got} {t}")


def checker_verdict(cert, name):
    """Exit codes of advdir check and of the standalone advdir-check, which must agree."""
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        json.dump(cert, f)
    codes = {subprocess.run([exe, "check", path] if exe == ADVDIR else [exe, path], capture_output=True).returncode
             for exe in (ADVDIR, os.path.join(os.path.dirname(ADVDIR), "advdir-check"))}
    return codes.pop() if len(codes) == 1 else "checkers disagree"


def check_certificate(name, cert):
    """The ray certificate is valid, and each edit an adversary would make is not."""
    check(checker_verdict(cert, name + ".cert") == 0, f"{name}: the ray certificate is valid")
    edits = []
    def edit(what, change):
        c = json.loads(json.dumps(cert))
        change(c)
        edits.append((what, c))
    if cert["adversarial"]:
        edit("c_exit halved", lambda c: c.update(c_exit=str(Fraction(c["c_exit"]) / 2)))
        edit("c_exit doubled", lambda c: c.update(c_exit=str(Fraction(c["c_exit"]) * 2)))
        edit("differs_at_exit flipped", lambda c: c.update(differs_at_exit=not c["differs_at_exit"]))
        edit("label_after changed", lambda c: c.update(label_after=c["label_before"]))
        edit("not adversarial", lambda c: (c.update(adversarial=False), c.pop("c_exit"), c.pop("label_after"), c.pop("differs_at_exit")))
    else:
        edit("an exit claimed", lambda c: c.update(adversarial=True, c_exit="1", label_after=c["label_before"], differs_at_exit=True))
    edit("label_before changed", lambda c: c.update(label_before=(1 - c["label_before"]) if c["label_before"] in (0, 1) else -c["label_before"]))
    if len(cert["pieces"]) > 1:
        edit("a piece dropped", lambda c: c["pieces"].pop(1))
    for p, piece in enumerate(cert["pieces"]):
        for k, entry in enumerate(piece["pattern"]):
            if isinstance(entry, str) and entry:
                def flip(c, p=p, k=k):
                    bits = c["pieces"][p]["pattern"][k]
                    i = next((i for i, b in enumerate(bits) if b == "1"), 0)
                    c["pieces"][p]["pattern"][k] = bits[:i] + ("0" if bits[i] == "1" else "1") + bits[i + 1:]
                edit(f"a ReLU bit of piece {p} flipped", flip)
            elif isinstance(entry, list) and entry:
                def outside(c, p=p, k=k):
                    c["pieces"][p]["pattern"][k][0] = 10**6
                edit(f"a window's cell of piece {p} outside its kernel", outside)
                if name == "ties":  # on [0, 1/2) the window's cells are (1 - c, c, 0, 0): cell 2 is below cell 0
                    def lower(c, p=p, k=k):
                        c["pieces"][p]["pattern"][k][0] = 2
                    edit(f"a window's cell of piece {p} moved to a smaller one", lower)
        if p >= 1:
            break
    edit("an extra field", lambda c: c.update(extra=1))
    if cert["adversarial"]:  # along 2v the exit is at c_exit / 2
        edit("the direction doubled", lambda c: c.update(direction=[str(Fraction(v) * 2) for v in c["direction"]]))
    if cert["model"]["kind"] == "graph":  # the model's structure, each edit impossible to read
        nodes = len(cert["model"]["nodes"])
        edit("a node reading a later value", lambda c: c["model"]["nodes"][0].update(inputs=[nodes]))
        edit("a node's shape grown", lambda c: c["model"]["nodes"][-1].update(shape=c["model"]["nodes"][-1]["shape"] + [2]))
        edit("a negative input", lambda c: c["model"]["nodes"][0].update(inputs=[-1]))
        edit("inputs of another type", lambda c: c["model"]["nodes"][0].update(inputs="0"))
        edit("the decision a sign of several outputs", lambda c: c["model"].update(decision="sign") if len(c["model"]["nodes"][-1]["shape"]) and
             np.prod(c["model"]["nodes"][-1]["shape"]) > 1 else c["model"].update(decision="maximum"))
        for k, n in enumerate(cert["model"]["nodes"]):
            if "window" in n:
                edit(f"node {k}'s window with one more output row", lambda c, k=k: c["model"]["nodes"][k]["window"].update(
                    out=[c["model"]["nodes"][k]["window"]["out"][0] + 1, c["model"]["nodes"][k]["window"]["out"][1]]))
                break
        for k, n in enumerate(cert["model"]["nodes"]):
            if n["op"] == "gather" and n["source"]:
                edit(f"node {k}'s gather index past its input", lambda c, k=k: c["model"]["nodes"][k]["source"][0].__setitem__(1, 10**9))
                break
    edit("the point moved", lambda c: c.update(point=[str(Fraction(v) + 1000) for v in c["point"]]))
    for what, c in edits:
        verdict = checker_verdict(c, name + ".edited")
        check(verdict in (1, 2), f"{name}: the certificate with {what} is refused ({verdict})")


def check_ray(name, path, model, shape, flags, x, v):
    bn32 = "--batchnorm-float32" in flags
    cert_path = os.path.join(TMP, name + ".ray.json")
    r = json.loads(advdir("ray", "--model", path, "--point", point_file(x, name + ".rx"), "--direction", point_file(v, name + ".rv"),
                          "--json", "--out", cert_path, *flags).stdout)
    with open(cert_path) as f:
        check_certificate(name, json.load(f))
    def label(c):
        return label_of(rational_outputs(model, [a + c * b for a, b in zip(x, v)], shape, bn32)[0])
    bps = [Fraction(b) for b in r["breakpoints"]]
    check(bps == sorted(set(bps)) and all(b > 0 for b in bps), f"{name}: breakpoints increase")
    check(r["label_before"] == label(Fraction(0)), f"{name}: label_before")
    for b in bps:
        values = rational_outputs(model, [a + b * d for a, d in zip(x, v)], shape, bn32)[1]
        check(rq.kinks_at(model, values), f"{name}: a ReLU input is 0 or a window ties at breakpoint {b}")
    end = Fraction(r["c_exit"]) if r["adversarial"] else (bps[-1] + 1 if bps else Fraction(1))
    cuts = [Fraction(0)] + [b for b in bps if b < end] + [end]
    for lo, hi in zip(cuts, cuts[1:]):
        check(label((lo + hi) / 2) == r["label_before"], f"{name}: the label holds inside ({lo}, {hi})")
        check(label(lo) == r["label_before"] or (lo == end), f"{name}: the label holds at {lo}")
    if r["adversarial"]:
        c = Fraction(r["c_exit"])
        check((label(c) != r["label_before"]) == r["differs_at_exit"], f"{name}: differs_at_exit")
        check(label(c + Fraction(1, 2**80)) == r["label_after"], f"{name}: label_after just past c_exit")
    else:
        check(label(end * 1000) == r["label_before"], f"{name}: far along a ray that never exits")
    return r


def check_round_trips(name, path, flags, x, exact_doubles=True):
    """import --out gives the same outputs; so does the ONNX written back, when every weight
    is a double (else the writer must say which weight is not)."""
    want = json.loads(advdir("eval", "--model", path, "--point", point_file(x, name + ".tx"), "--json", *flags).stdout)
    js, back = os.path.join(TMP, name + ".json"), os.path.join(TMP, name + ".back.onnx")
    advdir("import", path, "--out", js, *flags)
    written = [js]
    r = advdir("import", path, "--onnx", back, *flags, expect=0 if exact_doubles else 2)
    if exact_doubles:
        written.append(back)
    else:
        check("is not a double exactly" in r.stderr and not os.path.exists(back), f"{name}: the ONNX writer refuses a weight that is not a double")
    for p in written:
        got = json.loads(advdir("eval", "--model", p, "--point", point_file(x, name + ".tx"), "--json").stdout)
        check(got["outputs"] == want["outputs"], f"{name}: {os.path.basename(p)} gives the same outputs")
    gz = os.path.join(TMP, name + ".onnx.gz")
    with open(path, "rb") as src, gzip.open(gz, "wb") as dst:
        dst.write(src.read())
    got = json.loads(advdir("eval", "--model", gz, "--point", point_file(x, name + ".tx"), "--json", *flags).stdout)
    check(got["outputs"] == want["outputs"], f"{name}: .onnx.gz gives the same outputs")


def random_points(rng, shape, n):
    size = int(np.prod(shape))
    return [[Fraction(float(np.float32(v))) for v in rng.normal(size=size)] for _ in range(n)]


def main():
    rng = np.random.default_rng(7)
    for name, module, shape, opset, flags in torch_nets():
        path = os.path.join(TMP, name + ".onnx")
        model = export(module, shape, opset, path)
        if name == "batchnorm_float32":
            r = advdir("eval", "--model", path, "--point", ",".join(["0"] * int(np.prod(shape))), expect=2)
            check("irrational" in r.stderr and "--batchnorm-float32" in r.stderr, "an irrational BatchNormalization scale is refused")
        points = random_points(rng, shape, 3)
        check_points(name, path, model, shape, flags, module, points)
        x, v = points[0], [Fraction(float(np.float32(d))) for d in rng.normal(size=len(points[0]))]
        check_ray(name, path, model, shape, flags, x, v)
        check_round_trips(name, path, flags, points[1])
        if name == "normalised":  # a chain of affine maps: imported as a layered net
            js = os.path.join(TMP, name + ".json")
            check(json.load(open(js))["kind"] == "mlp", "normalised: imported as mlp")
    for name, model, shape, ray in hand_nets():
        path = os.path.join(TMP, name + ".onnx")
        onnx.save(model, path)
        points = random_points(rng, shape, 3)
        check_points(name, path, model, shape, [], None, points)
        x, v = ray if ray else (points[0], [Fraction(float(np.float32(d))) for d in rng.normal(size=len(points[0]))])
        r = check_ray(name, path, model, shape, [], [Fraction(a) for a in x], [Fraction(a) for a in v])
        if name == "ties":  # by hand, above
            check(r["adversarial"] and r["c_exit"] == "1/2" and r["differs_at_exit"] and r["label_before"] == 1 and r["label_after"] == 0,
                  f"ties: the exit at 1/2, where the label already differs: {r}")
        check_round_trips(name, path, [], points[1], exact_doubles=name != "eran")  # eran divides by 0.3081f: not dyadic
    refusals()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
