#!/usr/bin/env python3
"""Writes VAR fixture data with a known causal graph for the Granger engine tests.

Usage: python3 tools/reference/generate_var_data.py [output_dir]
Default output_dir: tests/CausalStream.Engine.Tests/Fixtures

Each case is a CSV with header `t,<channel names>`, one row per sample, t in seconds,
values written with repr() so they round-trip exactly. A sidecar <case>.graph.json lists the
true edges (source -> target, lag, coefficient) used to generate the data.
"""
import json
import os
import sys

import numpy as np


def simulate(rng, n_rows, coefs, intercept, noise_sd, burn_in=500):
    """Simulates x_t = intercept + sum_k coefs[k] @ x_{t-k-1} + noise."""
    p = len(coefs)
    c = coefs[0].shape[0]
    total = n_rows + burn_in
    x = np.zeros((total, c))
    noise = rng.standard_normal((total, c)) * noise_sd
    for t in range(p, total):
        acc = intercept + noise[t]
        for k in range(p):
            acc = acc + coefs[k] @ x[t - k - 1]
        x[t] = acc
    return x[burn_in:]


def edges_of(coefs, names):
    out = []
    for k, a in enumerate(coefs):
        for i in range(a.shape[0]):
            for j in range(a.shape[1]):
                if i != j and a[i, j] != 0.0:
                    out.append({"source": names[j], "target": names[i], "lag": k + 1, "coefficient": float(a[i, j])})
    return out


def write_case(out_dir, name, data, rate_hz, names, coefs):
    path = os.path.join(out_dir, name + ".csv")
    with open(path, "w", encoding="ascii") as f:
        f.write("t," + ",".join(names) + "\n")
        for r in range(data.shape[0]):
            f.write(repr(r / rate_hz) + "," + ",".join(repr(float(v)) for v in data[r]) + "\n")
    if coefs is not None:
        with open(os.path.join(out_dir, name + ".graph.json"), "w", encoding="ascii") as f:
            json.dump({"lags": len(coefs), "edges": edges_of(coefs, names)}, f, indent=1)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "..", "tests", "CausalStream.Engine.Tests", "Fixtures")
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(20240603)

    # Case 1: 5 channels, p = 3, 3000 rows. Chain 0->1->2, 0->3, 3->4, 4->2 plus own dynamics.
    c, p = 5, 3
    a = [np.zeros((c, c)) for _ in range(p)]
    for i in range(c):
        a[0][i, i] = 0.4
        a[1][i, i] = -0.2
    a[0][1, 0] = 0.35
    a[1][2, 1] = 0.3
    a[2][3, 0] = -0.25
    a[0][4, 3] = 0.3
    a[2][2, 4] = 0.2
    names = ["ch%d" % i for i in range(c)]
    x = simulate(rng, 3000, a, np.array([0.1, -0.2, 0.0, 0.3, 0.05]), 1.0)
    write_case(out_dir, "var5_p3", x, 250.0, names, a)

    # Case 2: 3 channels, p = 2, 500 rows, channels on very different scales with offsets
    # (volts, unit, millivolt-like) to exercise the numerics. Edges 0->1 (lag 1), 1->2 (lag 2).
    c, p = 3, 2
    a = [np.zeros((c, c)) for _ in range(p)]
    for i in range(c):
        a[0][i, i] = 0.5
    a[0][1, 0] = 0.4
    a[1][2, 1] = -0.35
    x = simulate(rng, 500, a, np.zeros(c), 1.0)
    scale = np.array([2e-5, 1.0, 300.0])
    offset = np.array([1e-4, -3.0, 5000.0])
    y = x * scale + offset
    # Rescaling each channel keeps it a VAR; coefficients of the graph change by the scale ratios.
    a_scaled = [np.diag(scale) @ ak @ np.diag(1.0 / scale) for ak in a]
    write_case(out_dir, "var3_p2_scaled", y, 1000.0, ["Fz", "Cz", "Pz"], a_scaled)

    # Case 3: 4 channels, one of them constant (a flat electrode). statsmodels refuses this
    # input, so the tests only check finite outputs and the ridge flag.
    c, p = 3, 2
    a = [np.zeros((c, c)) for _ in range(p)]
    for i in range(c):
        a[0][i, i] = 0.3
    a[0][1, 0] = 0.3
    x = simulate(rng, 400, a, np.zeros(c), 1.0)
    flat = np.full((x.shape[0], 1), 2.5)
    y = np.hstack([x[:, :2], flat, x[:, 2:]])
    write_case(out_dir, "flat4", y, 500.0, ["a", "b", "flat", "c"], None)


if __name__ == "__main__":
    main()
