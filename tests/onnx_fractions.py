"""An ONNX graph evaluated over the rationals, written for the tests from the ONNX
operator specification and independent of advdir: numpy object arrays of Fractions, the
operators as explicit loops. Every value of the graph is kept, so a test can look at the
pre-activations of each Relu and the windows of each MaxPool."""
from fractions import Fraction
import math

import numpy as np
from onnx import TensorProto, numpy_helper


def exact(a):
    """A float or integer array as Fractions (each float the rational it is)."""
    a = np.asarray(a)
    out = np.empty(a.shape, dtype=object)
    for i, v in np.ndenumerate(a):
        out[i] = Fraction(int(v)) if a.dtype.kind in "iu" else Fraction(float(v))
    return out


def attrs(node):
    out = {}
    for a in node.attribute:
        if a.type == a.INT:
            out[a.name] = a.i
        elif a.type == a.INTS:
            out[a.name] = list(a.ints)
        elif a.type == a.FLOAT:
            out[a.name] = Fraction(float(np.float32(a.f)))

        elif a.type == a.STRING:
            out[a.name] = a.s.decode()
        elif a.type == a.TENSOR:
            out[a.name] = exact(numpy_helper.to_array(a.t))
        elif a.type == a.FLOATS:
            out[a.name] = [Fraction(float(np.float32(f))) for f in a.floats]
    return out


def windows(shape, kernel, strides, pads, dilations, ceil_mode):
    """For an [N, C, *spatial] input: per output position the list of input positions of
    its window inside the input (padding left out), and the output's spatial shape."""
    spatial = shape[2:]
    dims = len(spatial)
    out_shape = []
    for d in range(dims):
        span = (kernel[d] - 1) * dilations[d] + 1
        padded = spatial[d] + pads[d] + pads[d + dims]
        n = (padded - span) // strides[d] + 1
        if ceil_mode and (padded - span) % strides[d] and n * strides[d] < spatial[d] + pads[d]:
            n += 1
        out_shape.append(n)
    result = {}
    for pos in np.ndindex(*out_shape):
        cells = []
        for k in np.ndindex(*kernel):
            at = tuple(pos[d] * strides[d] + k[d] * dilations[d] - pads[d] for d in range(dims))
            cells.append((k, at, all(0 <= at[d] < spatial[d] for d in range(dims))))
        result[pos] = cells
    return result, out_shape


def pool_geometry(node, x, kernel=None):
    a = attrs(node)
    dims = x.ndim - 2
    if node.op_type.startswith("Global"):
        kernel = list(x.shape[2:])
        a = {}
    elif kernel is None:
        kernel = a["kernel_shape"]
    strides = a.get("strides", [1] * dims)
    dilations = a.get("dilations", [1] * dims)
    pads = a.get("pads", [0] * (2 * dims))
    auto = a.get("auto_pad", "NOTSET")
    if auto in ("SAME_UPPER", "SAME_LOWER"):
        pads = [0] * (2 * dims)
        for d in range(dims):
            size = x.shape[2 + d]
            out = -(-size // strides[d])
            need = max(0, (out - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 - size)
            small, large = need // 2, need - need // 2
            pads[d], pads[d + dims] = (small, large) if auto == "SAME_UPPER" else (large, small)
    return kernel, strides, pads, dilations, a


def conv(node, x, w, b):
    kernel, strides, pads, dilations, a = pool_geometry(node, x, list(w.shape[2:]))
    group = a.get("group", 1)
    win, out_shape = windows(x.shape, list(w.shape[2:]), strides, pads, dilations, False)
    O, per_group = w.shape[0], w.shape[1]
    y = np.empty((1, O, *out_shape), dtype=object)
    for o in range(O):
        first = (o // (O // group)) * per_group
        for pos, cells in win.items():
            s = b[o] if b is not None else Fraction(0)
            for ci in range(per_group):
                for k, at, inside in cells:
                    if inside:
                        s += w[(o, ci) + k] * x[(0, first + ci) + at]
            y[(0, o) + pos] = s
    return y


def pool(node, x):
    kernel, strides, pads, dilations, a = pool_geometry(node, x)
    win, out_shape = windows(x.shape, kernel, strides, pads, dilations, a.get("ceil_mode", 0))
    is_max = "Max" in node.op_type
    include = a.get("count_include_pad", 0)
    dims = x.ndim - 2
    y = np.empty(x.shape[:2] + tuple(out_shape), dtype=object)
    for c in range(x.shape[1]):
        for pos, cells in win.items():
            inside = [x[(0, c) + at] for _, at, ok in cells if ok]
            if is_max:
                y[(0, c) + pos] = max(inside)
            else:
                if include:  # cells within the padded input (a ceil_mode window is cut at its end)
                    count = sum(1 for _, at, _ in cells if all(-pads[d] <= at[d] < x.shape[2 + d] + pads[d + dims] for d in range(dims)))
                else:
                    count = len(inside)
                y[(0, c) + pos] = sum(inside, Fraction(0)) / count
    return y


def rational_sqrt(q):
    n, d = math.isqrt(q.numerator), math.isqrt(q.denominator)
    if n * n == q.numerator and d * d == q.denominator:
        return Fraction(n, d)
    return None


def evaluate(model, x, batchnorm_float32=False):
    """All values of the graph at x (an exact array of the input's shape), by name."""
    g = model.graph
    values = {t.name: exact(numpy_helper.to_array(t)) for t in g.initializer}
    inputs = [i.name for i in g.input if i.name not in values]
    values[inputs[0]] = x
    for node in g.node:
        a = attrs(node)
        ins = [values[i] if i else None for i in node.input]
        op = node.op_type
        if op in ("Identity", "Dropout"):
            y = ins[0]
        elif op == "Constant":
            y = a["value"] if "value" in a else np.array(a["value_float"], dtype=object)
        elif op == "Relu":
            y = np.vectorize(lambda v: max(v, Fraction(0)), otypes=[object])(ins[0])
        elif op in ("Add", "Sub", "Mul", "Div"):
            f = {"Add": lambda p, q: p + q, "Sub": lambda p, q: p - q, "Mul": lambda p, q: p * q, "Div": lambda p, q: p / q}[op]
            y = np.vectorize(f, otypes=[object])(*np.broadcast_arrays(ins[0], ins[1]))
        elif op == "MatMul":
            y = np.matmul(ins[0], ins[1])
        elif op == "Gemm":
            A = ins[0].T if a.get("transA", 0) else ins[0]
            B = ins[1].T if a.get("transB", 0) else ins[1]
            y = np.matmul(A, B) * a.get("alpha", Fraction(1))
            if len(ins) > 2 and ins[2] is not None:
                y = y + ins[2] * a.get("beta", Fraction(1))
        elif op == "Conv":
            y = conv(node, ins[0], ins[1], ins[2] if len(ins) > 2 else None)
        elif op in ("MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool"):
            y = pool(node, ins[0])
        elif op == "Flatten":
            axis = a.get("axis", 1) % (ins[0].ndim + 1) if ins[0].ndim else 0
            y = ins[0].reshape(int(np.prod(ins[0].shape[:axis], dtype=int)), -1)
        elif op == "Reshape":
            shape = [int(s) for s in (ins[1] if len(ins) > 1 else a["shape"])]
            shape = [ins[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
            y = ins[0].reshape(shape)
        elif op == "Transpose":
            y = np.transpose(ins[0], a.get("perm"))
        elif op == "Squeeze":
            axes = [int(s) for s in ins[1]] if len(ins) > 1 else a.get("axes")
            y = np.squeeze(ins[0], axis=tuple(axes) if axes else None)
        elif op == "Unsqueeze":
            axes = [int(s) for s in ins[1]] if len(ins) > 1 else a["axes"]
            y = ins[0]
            for ax in sorted(ax % (y.ndim + len(axes)) for ax in axes):
                y = np.expand_dims(y, ax)
        elif op == "Concat":
            y = np.concatenate(ins, axis=a["axis"])
        elif op == "Pad":
            pads = [int(p) for p in ins[1]] if len(ins) > 1 else a["pads"]
            value = ins[2].reshape(-1)[0] if len(ins) > 2 and ins[2] is not None else a.get("value", Fraction(0))
            r = ins[0].ndim
            width = [(pads[i], pads[i + r]) for i in range(r)]
            mode = a.get("mode", "constant")
            y = np.pad(ins[0], width, mode={"constant": "constant", "reflect": "reflect", "edge": "edge"}[mode],
                       **({"constant_values": value} if mode == "constant" else {}))
        elif op == "BatchNormalization":
            scale, bias, mean, var = ins[1:5]
            eps = a.get("epsilon", Fraction(float(np.float32(1e-5))))
            s = []
            for c in range(len(scale)):
                root = rational_sqrt(var[c] + eps)
                if root is None:
                    assert batchnorm_float32, "irrational BatchNormalization scale"
                    s.append(Fraction(float(np.float32(float(scale[c]) / math.sqrt(float(var[c] + eps))))))
                else:
                    s.append(scale[c] / root)
            shape = (1, len(scale)) + (1,) * (ins[0].ndim - 2)
            s = np.array(s, dtype=object).reshape(shape)
            y = ins[0] * s + (bias.reshape(shape) - mean.reshape(shape) * s)
        elif op == "Shape":
            y = np.array([Fraction(d) for d in ins[0].shape], dtype=object)
        elif op == "ConstantOfShape":
            value = a.get("value", np.array([Fraction(0)], dtype=object)).reshape(-1)[0]
            y = np.full([int(d) for d in ins[0]], value, dtype=object)
        elif op == "Cast":
            y = ins[0] if a["to"] in (TensorProto.FLOAT, TensorProto.DOUBLE) else np.vectorize(
                lambda v: Fraction(int(v)), otypes=[object])(ins[0])
        elif op == "Gather":
            y = np.take(ins[0], [int(i) for i in ins[1].reshape(-1)], axis=a.get("axis", 0)).reshape(
                ins[0].shape[:a.get("axis", 0)] + ins[1].shape + ins[0].shape[a.get("axis", 0) + 1:])
        elif op == "Slice":
            starts, ends = [int(v) for v in ins[1]], [int(v) for v in ins[2]]
            axes = [int(v) for v in ins[3]] if len(ins) > 3 and ins[3] is not None else list(range(len(starts)))
            steps = [int(v) for v in ins[4]] if len(ins) > 4 and ins[4] is not None else [1] * len(starts)
            index = [slice(None)] * ins[0].ndim
            for b, e, ax, st in zip(starts, ends, axes, steps):
                dim = ins[0].shape[ax]
                b = max(-dim - 1, min(b, dim))
                e = max(-dim - 1, min(e, dim))
                index[ax] = slice(b, e, st)
            y = ins[0][tuple(index)]
        else:
            raise ValueError("no rational evaluation of " + op)
        values[node.output[0]] = y
    return values


def kinks_at(model, values):
    """True when some Relu input is 0, or some MaxPool window has two largest entries."""
    for node in model.graph.node:
        x = values.get(node.input[0]) if node.input else None
        if node.op_type == "Relu" and any(v == 0 for v in x.reshape(-1)):
            return True
        if node.op_type in ("MaxPool", "GlobalMaxPool"):
            kernel, strides, pads, dilations, a = pool_geometry(node, x)
            win, _ = windows(x.shape, kernel, strides, pads, dilations, a.get("ceil_mode", 0))
            for c in range(x.shape[1]):
                for cells in win.values():
                    inside = [x[(0, c) + at] for _, at, ok in cells if ok]
                    if inside.count(max(inside)) > 1:
                        return True
    return False
