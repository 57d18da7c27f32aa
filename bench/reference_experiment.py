#!/usr/bin/env python3
"""The reduced transfer experiment end to end with the reference stack (scikit-learn and
PyTorch), doing what `advdir experiment transfer` does at its defaults: 5 LinearSVCs and 5
convnets, each on its own 5,000 images (10 SGD epochs, batch 64, lr 0.01, momentum 0.5),
PGD (40 steps of 0.01) on 500 test images at 8 eps values with every classifier, random
signs and uniform noise, and every classifier scored on every other source's perturbations.
Usage: python3 bench/reference_experiment.py [DATA_DIR]   (default $ADVDIR_DATA or ./data)
bench/compare_experiment.sh runs it and advdir on the same machine in the same run."""
import os, sys, time
import numpy as np
import torch
from sklearn.svm import LinearSVC

data = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("ADVDIR_DATA", "data")
raw = lambda p, o: np.frombuffer(open(p, "rb").read(), dtype=np.uint8, offset=o)
X = raw(f"{data}/mnist10k/images-idx3-ubyte", 16).reshape(-1, 784).astype(np.float32) / 255
y = raw(f"{data}/mnist10k/labels-idx1-ubyte", 8).astype(np.int64)
rng = np.random.default_rng(1)
order = rng.permutation(len(X))
test, pool = order[:500], order[500:]
x0, labels = torch.tensor(X[test]), torch.tensor(y[test])
eps_list = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]
nn = torch.nn

def convnet():
    return nn.Sequential(nn.Unflatten(1, (1, 28, 28)), nn.Conv2d(1, 10, 5), nn.MaxPool2d(2), nn.ReLU(), nn.Conv2d(10, 20, 5),
                         nn.Dropout2d(0.5), nn.MaxPool2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(320, 50), nn.ReLU(),
                         nn.Dropout(0.5), nn.Linear(50, 10))

start = time.perf_counter()
models = []  # (type, scores function)
for k in range(10):
    pick = np.random.default_rng(100 + k).permutation(pool)[:5000]
    if k < 5:
        svm = LinearSVC(C=1.0, loss="squared_hinge", dual=True, tol=1e-4, intercept_scaling=1).fit(X[pick], y[pick])
        W, b = torch.tensor(svm.coef_, dtype=torch.float32), torch.tensor(svm.intercept_, dtype=torch.float32)
        models.append(("svm", lambda z, W=W, b=b: z @ W.T + b))
    else:
        torch.manual_seed(k)
        net = convnet()
        sgd = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.5)
        Xt, Yt = torch.tensor(X[pick]), torch.tensor(y[pick])
        net.train()
        for _ in range(10):
            for i in torch.randperm(len(Xt)).split(64):
                sgd.zero_grad()
                torch.nn.functional.nll_loss(torch.log_softmax(net(Xt[i]), 1), Yt[i]).backward()
                sgd.step()
        net.eval()
        models.append(("nn", net))
trained = time.perf_counter()

def loss(kind, f, z):  # per example: the SVM's multi-class hinge, the net's cross-entropy
    s = f(z)
    if kind == "nn":
        return torch.nn.functional.nll_loss(torch.log_softmax(s, 1), labels, reduction="none")
    return s.scatter(1, labels[:, None], float("-inf")).max(1).values - s.gather(1, labels[:, None])[:, 0]

def pgd(kind, f, eps):
    z, lo, hi = x0.clone(), (x0 - eps).clamp(min=0), (x0 + eps).clamp(max=1)
    for _ in range(40):
        z.requires_grad_(True)
        g, = torch.autograd.grad(loss(kind, f, z).sum(), z)
        with torch.no_grad():
            z = torch.min(torch.max(z + 0.01 * g.sign(), lo), hi)
    return z.detach()

correct = {}
for e, eps in enumerate(eps_list):
    sources = [pgd(kind, f, eps) for kind, f in models]
    sources.append(torch.min(torch.max(x0 + eps * torch.sign(torch.rand_like(x0) - 0.5), (x0 - eps).clamp(min=0)), (x0 + eps).clamp(max=1)))
    sources.append((x0 + (2 * torch.rand_like(x0) - 1) * eps).clamp(0, 1))
    with torch.no_grad():
        for s, z in enumerate(sources):
            for t, (kind, f) in enumerate(models):
                if s != t:
                    correct[t, s, e] = (f(z).argmax(1) == labels).sum().item()
done = time.perf_counter()
print(f"reference reduced experiment (5 LinearSVC + 5 convnets, 500 examples, 8 eps, 40 PGD steps): "
      f"training {trained - start:.1f} s, attacks and scoring {done - trained:.1f} s, total {done - start:.1f} s")
