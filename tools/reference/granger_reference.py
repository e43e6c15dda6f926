#!/usr/bin/env python3
"""Writes statsmodels reference values for the Granger engine tests.

Usage: /usr/bin/python3 tools/reference/granger_reference.py CASE.csv LAGS PMAX [out.json]
(Debian's python3-statsmodels; the output defaults to CASE.reference.json beside the CSV.)

For VAR(LAGS) with a constant (statsmodels VAR(data).fit(LAGS, trend='c')) it records the
coefficient matrix (statsmodels' and an exact 40-digit one; rows: const, then lag 1 channels, lag 2 channels, ...; columns: equations),
t values, sigma_u, and for every ordered pair test_causality(target, [source], kind='f')
F, df and p-value (and the single-equation p-value, scipy.stats.f.sf(F, p, nobs - C*p - 1)); then select_order(PMAX) criterion values (orders 0..PMAX) and chosen orders.
"""
import json
import os
import sys

import mpmath
import numpy as np
from scipy import stats
import statsmodels
from statsmodels.tsa.api import VAR


def exact_params(data, lags):
    """OLS coefficients of VAR(lags) with intercept from the normal equations in 40-digit arithmetic.

    statsmodels solves with lstsq on the raw (uncentred) regressors, which on badly scaled data with large
    offsets loses about 1e-7 relative on the intercept; this is the exactly rounded solution to test against.
    """
    mpmath.mp.dps = 40
    n, c = data.shape
    rows = []
    for t in range(lags, n):
        row = [mpmath.mpf(1)]
        for k in range(1, lags + 1):
            row.extend(mpmath.mpf(float(v)) for v in data[t - k])
        rows.append(row)
    z = mpmath.matrix(rows)
    zt = z.T
    gram = zt * z
    out = []
    for i in range(c):
        y = mpmath.matrix([mpmath.mpf(float(v)) for v in data[lags:, i]])
        out.append([float(v) for v in mpmath.lu_solve(gram, zt * y)])
    return np.array(out).T.tolist()


def main():
    csv_path, lags, pmax = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    out_path = sys.argv[4] if len(sys.argv) > 4 else os.path.splitext(csv_path)[0] + ".reference.json"
    with open(csv_path, encoding="ascii") as f:
        names = f.readline().strip().split(",")[1:]
    data = np.loadtxt(csv_path, delimiter=",", skiprows=1)[:, 1:]

    model = VAR(data)
    res = model.fit(lags, trend="c")
    pairs = []
    c = data.shape[1]
    for target in range(c):
        for source in range(c):
            if source == target:
                continue
            t = res.test_causality(target, [source], kind="f")
            pairs.append({
                "target": target,
                "source": source,
                "F": float(t.test_statistic),
                "df1": int(t.df[0]),
                "df2": int(t.df[1]),
                "pvalue": float(t.pvalue),
                # The single-equation F test: same statistic, df2 = nobs - C*p - 1.
                "df2_single_equation": int(res.df_resid),
                "pvalue_single_equation": float(stats.f.sf(t.test_statistic, t.df[0], res.df_resid)),
            })
    sel = VAR(data).select_order(pmax, trend="c")
    out = {
        "statsmodels": statsmodels.__version__,
        "names": names,
        "lags": lags,
        "nobs": int(res.nobs),
        "params": res.params.tolist(),
        "params_exact": exact_params(data, lags),
        "tvalues": np.asarray(res.tvalues).tolist(),
        "sigma_u": np.asarray(res.sigma_u).tolist(),
        "causality": pairs,
        "select_order": {
            "pmax": pmax,
            "ics": {k: [float(v) for v in vals] for k, vals in sel.ics.items()},
            "selected": {k: int(v) for k, v in sel.selected_orders.items()},
        },
    }
    with open(out_path, "w", encoding="ascii") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
