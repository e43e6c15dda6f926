namespace CausalStream.Engine.Effects;

/// <summary>
/// The complete-case sample an effect estimator works on: outcome y, binary treatment d, covariate rows x and,
/// when the table has them, a logged propensity and a cross-fitting fold per unit. Rows missing any used value
/// are left out and counted. When the table cannot support any estimate (a named column is absent, the
/// treatment is not 0/1, no rows remain) <see cref="Unusable"/> holds the reason.
/// </summary>
public sealed class EffectData
{
    private EffectData(string treatment, string outcome, IReadOnlyList<string> covariates)
    {
        Treatment = treatment;
        Outcome = outcome;
        Covariates = covariates;
    }

    public string Treatment { get; }

    public string Outcome { get; }

    public IReadOnlyList<string> Covariates { get; }

    /// <summary>Outcomes of the kept rows.</summary>
    public double[] Y { get; private init; } = [];

    /// <summary>Treatments (0 or 1) of the kept rows.</summary>
    public double[] D { get; private init; } = [];

    /// <summary>Covariate vectors of the kept rows.</summary>
    public double[][] X { get; private init; } = [];

    /// <summary>Logged propensities P(d = 1 | x) of the kept rows, when a propensity column was named.</summary>
    public double[]? Propensity { get; private init; }

    /// <summary>Fold index (0..K−1) of each kept row, when folds were given.</summary>
    public int[]? Folds { get; private init; }

    /// <summary>Number of folds in <see cref="Folds"/>.</summary>
    public int FoldCount { get; private init; }

    /// <summary>Table row index (0-based) of each kept row.</summary>
    public int[] SourceRows { get; private init; } = [];

    /// <summary>Rows left out because a used value was missing.</summary>
    public int RowsDropped { get; private init; }

    /// <summary>Why the data cannot be used at all; null when it can.</summary>
    public string? Unusable { get; private init; }

    public int N => Y.Length;

    public int NTreated => D.Count(v => v == 1);

    public int K => Covariates.Count;

    /// <summary>
    /// Selects the columns. <paramref name="foldColumn"/> names a fold column; otherwise <paramref name="folds"/>
    /// (≥ 2) assigns folds by a seeded shuffle (<see cref="AssignFolds"/>), so runs reproduce exactly.
    /// </summary>
    public static EffectData FromTable(EffectTable table, string treatment, string outcome, IReadOnlyList<string> covariates,
        string? propensityColumn = null, string? foldColumn = null, int folds = 5, int foldSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(covariates);
        var missing = new List<string>();
        double[]? y = table.Column(outcome);
        double[]? d = table.Column(treatment);
        if (d is null)
        {
            missing.Add($"treatment '{treatment}'");
        }

        if (y is null)
        {
            missing.Add($"outcome '{outcome}'");
        }

        var x = new double[covariates.Count][];
        for (int j = 0; j < covariates.Count; j++)
        {
            var col = table.Column(covariates[j]);
            if (col is null)
            {
                missing.Add($"covariate '{covariates[j]}'");
            }

            x[j] = col ?? [];
        }

        double[]? e = null;
        if (propensityColumn is not null && (e = table.Column(propensityColumn)) is null)
        {
            missing.Add($"propensity '{propensityColumn}'");
        }

        double[]? f = null;
        if (foldColumn is not null && (f = table.Column(foldColumn)) is null)
        {
            missing.Add($"fold '{foldColumn}'");
        }

        if (missing.Count > 0)
        {
            return new EffectData(treatment, outcome, covariates) { Unusable = $"{table.Name}: no column for {string.Join(", ", missing)} (columns: {string.Join(",", table.ColumnNames)})" };
        }

        var keep = new List<int>();
        for (int i = 0; i < table.Rows; i++)
        {
            bool ok = double.IsFinite(y![i]) && double.IsFinite(d![i]) && (e is null || double.IsFinite(e[i])) && (f is null || double.IsFinite(f[i]));
            for (int j = 0; ok && j < x.Length; j++)
            {
                ok = double.IsFinite(x[j][i]);
            }

            if (ok)
            {
                keep.Add(i);
            }
        }

        foreach (int i in keep)
        {
            if (d![i] is not (0 or 1))
            {
                return new EffectData(treatment, outcome, covariates) { Unusable = $"{table.Name}: treatment '{treatment}' must be 0 or 1, row {i} holds {d[i]}" };
            }

            if (e is not null && !(e[i] > 0 && e[i] < 1))
            {
                return new EffectData(treatment, outcome, covariates) { Unusable = $"{table.Name}: propensity '{propensityColumn}' must lie strictly between 0 and 1, row {i} holds {e[i]}" };
            }
        }

        if (keep.Count == 0)
        {
            return new EffectData(treatment, outcome, covariates) { Unusable = $"{table.Name}: no row has all of treatment, outcome and covariates", RowsDropped = table.Rows };
        }

        int[]? foldOf = null;
        int foldCount = 0;
        if (f is not null)
        {
            var labels = keep.Select(i => f[i]).Distinct().Order().ToArray();
            if (labels.Any(v => v != Math.Floor(v)) || labels.Length < 2)
            {
                return new EffectData(treatment, outcome, covariates) { Unusable = $"{table.Name}: fold column '{foldColumn}' must hold at least two whole-number labels" };
            }

            foldOf = keep.Select(i => Array.IndexOf(labels, f[i])).ToArray();
            foldCount = labels.Length;
        }
        else if (folds >= 2 && keep.Count >= folds)
        {
            foldOf = AssignFolds(keep.Count, folds, foldSeed);
            foldCount = folds;
        }

        return new EffectData(treatment, outcome, covariates)
        {
            Y = keep.Select(i => y![i]).ToArray(),
            D = keep.Select(i => d![i]).ToArray(),
            X = keep.Select(i => x.Select(col => col[i]).ToArray()).ToArray(),
            Propensity = e is null ? null : keep.Select(i => e[i]).ToArray(),
            Folds = foldOf,
            FoldCount = foldCount,
            SourceRows = [.. keep],
            RowsDropped = table.Rows - keep.Count,
        };
    }

    /// <summary>
    /// K folds of near-equal size from a seeded shuffle: the rows are permuted by a Fisher–Yates shuffle driven by
    /// <c>new Random(seed)</c> and cut into K contiguous blocks (the first n mod K blocks one row longer).
    /// </summary>
    public static int[] AssignFolds(int n, int k, int seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        var random = new Random(seed);
        for (int i = n - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var fold = new int[n];
        int start = 0;
        for (int f = 0; f < k; f++)
        {
            int size = (n / k) + (f < n % k ? 1 : 0);
            for (int r = start; r < start + size; r++)
            {
                fold[order[r]] = f;
            }

            start += size;
        }

        return fold;
    }
}
