"""A PyTorch nn.Sequential as an advdir graph (the JSON of `advdir import`), weights exact.

Each layer's output shape is the one torch computes (a forward pass of zeros), so
padding, strides, dilation and ceil_mode are torch's own.
"""
from fractions import Fraction


def _exact(tensor):
    return [str(Fraction(v)) for v in tensor.detach().double().reshape(-1).tolist()]


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _window(chw, kernel, stride, padding, dilation, out_hw):
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = _pair(kernel), _pair(stride), _pair(padding), _pair(dilation)
    return {"input": list(chw), "kernel": [kh, kw], "strides": [sh, sw], "dilations": [dh, dw],
            "pads": [ph, pw, ph, pw], "out": list(out_hw)}


def sequential_graph(module, input_shape):
    import torch
    from torch import nn

    if not isinstance(module, nn.Sequential):
        raise ValueError(f"{type(module).__name__}: expected an nn.Sequential")
    x = torch.zeros((1,) + tuple(input_shape))
    nodes, value = [], 0
    with torch.no_grad():
        for name, layer in module.named_children():
            weight = getattr(layer, "weight", None)
            y = layer(x.to(weight.dtype) if weight is not None else x)  # for the shape alone
            shape = list(y.shape)
            node = {"name": name, "inputs": [value], "shape": shape}
            if isinstance(layer, nn.Flatten):
                x = y
                continue  # dense nodes read their input flattened
            if isinstance(layer, nn.Linear):
                node.update(op="dense", W=[_exact(row) for row in layer.weight],
                            b=_exact(layer.bias) if layer.bias is not None else ["0"] * layer.out_features)
            elif isinstance(layer, nn.Conv2d):
                if layer.padding_mode != "zeros" or isinstance(layer.padding, str) and layer.padding != "valid":
                    raise ValueError(f"{name}: Conv2d padding {layer.padding!r} ({layer.padding_mode}) is not supported")
                padding = 0 if layer.padding == "valid" else layer.padding
                node.update(op="conv", window=_window(x.shape[1:], layer.kernel_size, layer.stride, padding, layer.dilation, shape[2:]),
                            weights=_exact(layer.weight), out_channels=layer.out_channels, group=layer.groups,
                            bias=_exact(layer.bias) if layer.bias is not None else [])
            elif isinstance(layer, nn.ReLU):
                node.update(op="relu")
            elif isinstance(layer, nn.MaxPool2d):
                node.update(op="maxpool", window=_window(x.shape[1:], layer.kernel_size, layer.stride or layer.kernel_size,
                                                         layer.padding, layer.dilation, shape[2:]))
            elif isinstance(layer, nn.AvgPool2d):
                if layer.divisor_override is not None:
                    raise ValueError(f"{name}: AvgPool2d divisor_override is not supported")
                node.update(op="avgpool", count_include_pad=bool(layer.count_include_pad),
                            window=_window(x.shape[1:], layer.kernel_size, layer.stride or layer.kernel_size, layer.padding, 1, shape[2:]))
            elif isinstance(layer, (nn.Dropout, nn.Identity)):
                x = y
                continue
            else:
                raise ValueError(f"{name}: {type(layer).__name__} is not supported (Linear, Conv2d, ReLU, MaxPool2d, AvgPool2d, Flatten)")
            nodes.append(node)
            value = len(nodes)
            x = y
    if not nodes:
        raise ValueError("an empty nn.Sequential")
    outputs = 1
    for d in nodes[-1]["shape"]:
        outputs *= d
    return {"kind": "graph", "input_shape": [1] + list(input_shape), "decision": "argmax" if outputs > 1 else "sign", "nodes": nodes}
