"""PyTorch reference for `pnpm bench`: the same models, batch, data and timing as
bench/training.mjs, so the two can be compared in one run. Never a product dependency.

usage: python3 bench/reference.py <mnist-idx-dir> <threads> [models] [--epoch] [--device=cpu|cuda[:N]]
Prints one JSON object per model: {"model", "threads", "device", "msPerStep", "samplesPerSec"}; with --epoch,
one whole shuffled epoch over all 60,000 training images per model (as bench/epoch.mjs), with
"seconds" and "peakRssMiB" (VmHWM) too: run one model per process for a per-model peak.
"""
import gzip
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH = 128


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(folder, stem):
    for name in (stem, stem + ".gz"):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    raise FileNotFoundError(f"{stem} not in {folder}")


def gaussian_kl(mu, logvar):
    return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1).mean()


def bernoulli_nll(logits, x):
    return F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]


class MlpVae(nn.Module):
    """784-400-20, optionally conditioned on a one-hot label (CVAE)."""

    def __init__(self, conditional=False):
        super().__init__()
        c = 10 if conditional else 0
        self.conditional = conditional
        self.enc = nn.Sequential(nn.Linear(784 + c, 400), nn.ReLU(), nn.Linear(400, 40))
        self.dec = nn.Sequential(nn.Linear(20 + c, 400), nn.ReLU(), nn.Linear(400, 784))

    def loss(self, x, y):
        flat = x.view(x.shape[0], -1)
        cond = F.one_hot(y, 10).float() if self.conditional else None
        h = self.enc(torch.cat([flat, cond], 1) if self.conditional else flat)
        mu, logvar = h.chunk(2, dim=1)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        logits = self.dec(torch.cat([z, cond], 1) if self.conditional else z)
        return bernoulli_nll(logits, flat) + gaussian_kl(mu, logvar)


class ConvVae(nn.Module):
    """Conv 32-64 (k4 s2) → dense to z=16, mirrored by transposed convs."""

    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(
            nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(), nn.Flatten(), nn.Linear(3136, 32))
        self.dec_in = nn.Sequential(nn.Linear(16, 3136), nn.ReLU())
        self.dec = nn.Sequential(nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 1, 4, 2, 1))

    def loss(self, x, y):
        mu, logvar = self.enc(x).chunk(2, dim=1)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        logits = self.dec(self.dec_in(z).view(-1, 64, 7, 7))
        return bernoulli_nll(logits, x) + gaussian_kl(mu, logvar)


class VqVae(nn.Module):
    """Conv 32-64 → 1×1 to D, EMA codebook of K (decay 0.99), 3×3 expand, transposed convs."""

    def __init__(self, k, d):
        super().__init__()
        self.k, self.d = k, d
        self.enc = nn.Sequential(
            nn.Conv2d(1, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(), nn.Conv2d(64, d, 1))
        self.dec = nn.Sequential(
            nn.Conv2d(d, 64, 3, 1, 1), nn.ReLU(), nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(32, 1, 4, 2, 1))
        self.register_buffer("codebook", torch.empty(k, d).uniform_(-1 / k, 1 / k))
        self.register_buffer("cluster_size", torch.ones(k))
        self.register_buffer("embed_sum", self.codebook.clone())
        self.register_buffer("last_used", torch.zeros(k))
        self.step = 0

    def loss(self, x, y):
        ze = self.enc(x)
        flat = ze.permute(0, 2, 3, 1).reshape(-1, self.d)
        dist = flat.pow(2).sum(1, keepdim=True) - 2 * flat @ self.codebook.t() + self.codebook.pow(2).sum(1)
        idx = dist.argmin(1)
        codes = self.codebook[idx].view(ze.shape[0], ze.shape[2], ze.shape[3], self.d).permute(0, 3, 1, 2)
        commitment = F.mse_loss(ze, codes.detach())
        quantized = ze + (codes - ze).detach()
        logits = self.dec(quantized)
        recon = F.binary_cross_entropy_with_logits(logits, x)
        with torch.no_grad():  # EMA codebook update and usage bookkeeping, as the TS model's afterStep
            one_hot = F.one_hot(idx, self.k).float()
            counts = one_hot.sum(0)
            self.cluster_size.mul_(0.99).add_(counts, alpha=0.01)
            self.embed_sum.mul_(0.99).add_(one_hot.t() @ flat, alpha=0.01)
            n = self.cluster_size.sum()
            smoothed = (self.cluster_size + 1e-5) / (n + self.k * 1e-5) * n
            self.codebook.copy_(self.embed_sum / smoothed.unsqueeze(1))
            self.step += 1
            self.last_used[counts > 0] = self.step
            p = counts / counts.sum()
            self.perplexity = torch.exp(-(p * torch.log(p + 1e-10)).sum())
        return recon + 0.25 * commitment


MODELS = [
    ("MLP VAE 784-400-20", lambda: MlpVae()),
    ("CVAE 784-400-20", lambda: MlpVae(conditional=True)),
    ("conv VAE 32-64 z=16", ConvVae),
    ("VQ-VAE 64x16", lambda: VqVae(64, 16)),
    ("VQ-VAE 512x64", lambda: VqVae(512, 64)),
]


def bench(make, batches, device, steps=20, repeats=3):
    torch.manual_seed(0)
    model = make().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def run(n, offset):
        for s in range(n):
            x, y = batches[(offset + s) % len(batches)]
            opt.zero_grad(set_to_none=True)
            loss = model.loss(x, y)
            loss.backward()
            opt.step()
        float(loss)

    run(3, 0)
    times = []
    for r in range(repeats):
        start = time.perf_counter()
        run(steps, 3 + r * steps)
        times.append((time.perf_counter() - start) * 1000 / steps)
    return statistics.median(times)


def epoch(make, x, y, device):
    """One epoch in a fresh random order, batch 128, as Trainer.fit runs one."""
    torch.manual_seed(0)
    model = make().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    order = torch.randperm(x.shape[0], device=device)
    start = time.perf_counter()
    steps = 0
    for b in range(0, x.shape[0], BATCH):
        idx = order[b:b + BATCH]
        opt.zero_grad(set_to_none=True)
        loss = model.loss(x[idx], y[idx])
        loss.backward()
        opt.step()
        steps += 1
    float(loss)
    return time.perf_counter() - start, steps


def peak_rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    folder, threads = args[0], int(args[1])
    only = args[2].split(",") if len(args) > 2 else None
    device = torch.device(next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--device=")), "cpu"))
    torch.set_num_threads(threads)
    if "--epoch" in sys.argv:
        x = torch.from_numpy(read_idx(find(folder, "train-images-idx3-ubyte")).astype(np.float32) / 255).view(-1, 1, 28, 28).to(device)
        y = torch.from_numpy(read_idx(find(folder, "train-labels-idx1-ubyte")).astype(np.int64)).to(device)
        for name, make in MODELS:
            if only and name not in only:
                continue
            seconds, steps = epoch(make, x, y, device)
            print(json.dumps({"model": name, "threads": threads, "device": str(device), "seconds": seconds, "steps": steps, "msPerStep": seconds * 1000 / steps,
                              "samplesPerSec": x.shape[0] / seconds, "peakRssMiB": peak_rss_mib()}), flush=True)
        return
    images = read_idx(find(folder, "train-images-idx3-ubyte"))[: BATCH * 8]
    labels = read_idx(find(folder, "train-labels-idx1-ubyte"))[: BATCH * 8]
    x = torch.from_numpy(images.astype(np.float32) / 255).view(-1, 1, 28, 28)
    y = torch.from_numpy(labels.astype(np.int64))
    batches = [(x[b * BATCH:(b + 1) * BATCH].contiguous().to(device), y[b * BATCH:(b + 1) * BATCH].to(device)) for b in range(8)]
    for name, make in MODELS:
        if only and name not in only:
            continue
        ms = bench(make, batches, device)
        print(json.dumps({"model": name, "threads": threads, "device": str(device), "msPerStep": ms, "samplesPerSec": BATCH * 1000 / ms}), flush=True)


if __name__ == "__main__":
    main()
