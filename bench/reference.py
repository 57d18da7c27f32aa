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

torch.set_num_threads(1)
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
