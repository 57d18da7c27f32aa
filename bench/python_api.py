"""The Python call path against the C++ call (issue 18), in one run: exact evaluation and
exact rays of an MNIST-shaped MLP 784-128-10 (float32 weights, torch's initialisation,
exported to ONNX) at 20 points in [0, 1] (float32), rays toward the next point; then the
README's Python session, timed. Usage: /usr/bin/python3 bench/python_api.py BUILD_DIR [N]"""
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

build = Path(sys.argv[1]).resolve()
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 5
sys.path.insert(0, str(build / "python"))
import numpy as np  # noqa: E402
import torch  # noqa: E402

import advdir  # noqa: E402

torch.manual_seed(1)
net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)).eval()
rng = np.random.default_rng(1)
X = rng.random((20, 784)).astype(np.float32)
V = np.roll(X, 1, axis=0) - X  # toward the next point (float32 differences: exact as doubles)

with tempfile.TemporaryDirectory() as tmp:
    tmp = Path(tmp)
    onnx = tmp / "mlp.onnx"
    torch.onnx.export(net, torch.zeros(1, 784), str(onnx), opset_version=13)
    for name, rows in (("points", X), ("directions", V)):
        (tmp / name).write_text("".join(",".join(str(Fraction(float(v))) for v in row) + "\n" for row in rows))
    cpp = subprocess.run([str(build / "bin" / "bench_api"), str(onnx), str(tmp / "points"), str(tmp / "directions"), str(repeat)],
                         check=True, capture_output=True, text=True).stdout.split()
    model = advdir.load_model(onnx)
    t0 = time.perf_counter()
    for _ in range(repeat):
        for x in X:
            advdir.eval(model, x)
    py_eval = (time.perf_counter() - t0) * 1e3 / (repeat * len(X))
    t0 = time.perf_counter()
    for _ in range(repeat):
        for x, v in zip(X, V):
            advdir.ray(model, x, v)
    py_ray = (time.perf_counter() - t0) * 1e3 / (repeat * len(X))
    print(f"MLP 784-128-10, {len(X)} points x {repeat}: eval  C++ {float(cpp[0]):.3f} ms  Python {py_eval:.3f} ms  "
          f"(+{py_eval - float(cpp[0]):.3f} ms a call)")
    print(f"                                ray   C++ {float(cpp[1]):.3f} ms  Python {py_ray:.3f} ms  "
          f"(+{py_ray - float(cpp[1]):.3f} ms a call; {float(cpp[2]):.1f} kinks a ray)")

    # The README's session: a small PyTorch convnet to a checked ray certificate, along the
    # sign of the loss gradient at an image (FGSM's direction).
    t0 = time.perf_counter()
    convnet = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                  torch.nn.Flatten(), torch.nn.Linear(4 * 14 * 14, 10)).eval()
    model = advdir.from_torch(convnet, (1, 28, 28))
    x = torch.from_numpy(X[0]).reshape(1, 1, 28, 28).requires_grad_()
    outputs, label = advdir.eval(model, x)
    torch.nn.functional.cross_entropy(convnet(x), torch.tensor([label])).backward()
    r = advdir.ray(model, x, 0.1 * x.grad.sign(), certificate=tmp / "ray.cert.json")
    verdict = advdir.check(tmp / "ray.cert.json")
    print(f"README session (convnet from PyTorch, eval, ray along FGSM's direction: {len(r['breakpoints'])} kinks, "
          f"c_exit {float(r.get('c_exit', float('inf'))):.4f}, certificate checked: {verdict['valid']}): {time.perf_counter() - t0:.2f} s")
