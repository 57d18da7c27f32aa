#!/usr/bin/env python3
"""The reference stack for bench_fp: scikit-learn's LinearSVC and a PyTorch PGD on the
same data, the same settings and the same loss (Debian python3-sklearn, python3-torch).
Usage: python3 bench/reference.py [DATA_DIR]   (default $ADVDIR_DATA or ./data)"""
import os, sys, time
import numpy as np
import torch
from sklearn.svm import LinearSVC

def idx(path, offset):
    return np.frombuffer(open(path, "rb").read(), dtype=np.uint8, offset=offset)

data = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ADVDIR_DATA", "data")
X = idx(f"{data}/mnist10k/images-idx3-ubyte", 16).reshape(-1, 784).astype(np.float32) / 255
y = idx(f"{data}/mnist10k/labels-idx1-ubyte", 8).astype(np.int64)
Xtr, ytr, Xte, yte = X[0::2], y[0::2], X[1::10], y[1::10]  # mnist10k is sorted by digit

t = time.perf_counter()
svm = LinearSVC(C=1.0, loss="squared_hinge", dual=True, tol=1e-4, multi_class="ovr", intercept_scaling=1).fit(Xtr, ytr)
train_s = time.perf_counter() - t
print(f"sklearn  LinearSVC on 5000 images: {train_s:.3f} s, test accuracy {svm.score(Xte, yte):.3f}")

default_threads = torch.get_num_threads()
torch.set_num_threads(1)  # the SVM's PGD: one thread, as advdir's
W = torch.tensor(svm.coef_, dtype=torch.float32)
b = torch.tensor(svm.intercept_, dtype=torch.float32)
x0, labels = torch.tensor(Xte), torch.tensor(yte)
eps, step, steps = 0.1, 0.01, 40

def hinge(z):  # max_{j != y} s_j - s_y, per example
    s = z @ W.T + b
    truth = s.gather(1, labels[:, None])[:, 0]
    rival = s.scatter(1, labels[:, None], float("-inf")).max(1).values
    return rival - truth

t = time.perf_counter()
z = x0.clone()
for _ in range(steps):
    z.requires_grad_(True)
    g, = torch.autograd.grad(hinge(z).sum(), z)
    with torch.no_grad():
        z = torch.min(torch.max(z + step * g.sign(), (x0 - eps).clamp(min=0)), (x0 + eps).clamp(max=1))
pgd_s = time.perf_counter() - t
acc = (torch.argmax(z @ W.T + b, 1) == labels).float().mean().item()
print(f"pytorch  PGD on the SVM, 1000 examples x {steps} steps: {1000 * steps / pgd_s:.0f} example-gradients/s, accuracy at eps 0.1: {acc:.3f}")

# The nets: one SGD epoch (batch 64, lr 0.01, momentum 0.5) on the same 5,000 images, then
# PGD on the cross-entropy, with PyTorch's default threads as libtorch uses them.
torch.set_num_threads(default_threads)
nn = torch.nn
nets = {
    "mlp": lambda: nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10)),
    "convnet": lambda: nn.Sequential(nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, 10, 5), nn.MaxPool2d(2), nn.ReLU(),
                                     nn.Conv2d(10, 20, 5), nn.Dropout2d(0.5), nn.MaxPool2d(2), nn.ReLU(), nn.Flatten(),
                                     nn.Linear(320, 50), nn.ReLU(), nn.Dropout(0.5), nn.Linear(50, 10)),
}
Xt, Yt = torch.tensor(Xtr), torch.tensor(ytr)
for name, make in nets.items():
    torch.manual_seed(1)
    net = make()
    sgd = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.5)
    t = time.perf_counter()
    net.train()
    for i in torch.randperm(len(Xt)).split(64):
        sgd.zero_grad()
        torch.nn.functional.nll_loss(torch.log_softmax(net(Xt[i]), 1), Yt[i]).backward()
        sgd.step()
    epoch_s = time.perf_counter() - t
    net.eval()
    t = time.perf_counter()
    z = x0.clone()
    for _ in range(steps):
        z.requires_grad_(True)
        loss = torch.nn.functional.nll_loss(torch.log_softmax(net(z), 1), labels, reduction="sum")
        g, = torch.autograd.grad(loss, z)
        with torch.no_grad():
            z = torch.min(torch.max(z + step * g.sign(), (x0 - eps).clamp(min=0)), (x0 + eps).clamp(max=1))
    pgd_s = time.perf_counter() - t
    t = time.perf_counter()
    with torch.no_grad():
        for _ in range(20):
            net(z).argmax(1)
    forward_s = time.perf_counter() - t
    print(f"pytorch  {name:7s} one epoch on 5000 images: {epoch_s:.3f} s; PGD 1000 x {steps}: {1000 * steps / pgd_s:.0f} example-gradients/s; "
          f"scoring: {1000 * 20 / forward_s:.0f} images/s")
