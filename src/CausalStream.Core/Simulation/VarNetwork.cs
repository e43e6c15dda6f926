namespace CausalStream.Core.Simulation;

/// <summary>
/// A vector autoregression of order p, <c>x_t = Σ_{k=1..p} A_k x_{t−k} + e_t</c>, with its true lagged graph,
/// its stability check and its exact stationary autocovariances. It is the known causal system behind the
/// simulator, so estimates of graphs, covariances and stimulation effects can be checked against it.
/// </summary>
/// <remarks>
/// Coefficient <c>A_k[target, source]</c> is the effect of <c>x[source](t − k)</c> on <c>x[target](t)</c>.
/// Instances are immutable.
/// </remarks>
public sealed class VarNetwork
{
    private const int MaxScalingSteps = 1000;

    // Lag-major flat storage: A_k[target, source] at (k − 1)·C·C + target·C + source.
    private readonly double[] _coefficients;
    private double _spectralRadius = double.NaN; // computed on first use; a double write is atomic, so racing readers see NaN or the value

    /// <summary>Creates a network from its lag matrices: <paramref name="lagMatrices"/>[k − 1] is A_k, indexed [target, source].</summary>
    public VarNetwork(IReadOnlyList<double[,]> lagMatrices)
    {
        ArgumentNullException.ThrowIfNull(lagMatrices);
        if (lagMatrices.Count == 0)
        {
            throw new ArgumentException("a VAR network needs at least one lag matrix", nameof(lagMatrices));
        }

        int channels = lagMatrices[0]?.GetLength(0) ?? 0;
        if (channels == 0)
        {
            throw new ArgumentException("lag matrix A_1 is null or empty", nameof(lagMatrices));
        }

        var flat = new double[lagMatrices.Count * channels * channels];
        for (int k = 0; k < lagMatrices.Count; k++)
        {
            var a = lagMatrices[k];
            if (a is null || a.GetLength(0) != channels || a.GetLength(1) != channels)
            {
                throw new ArgumentException($"lag matrix A_{k + 1} must be {channels}×{channels}", nameof(lagMatrices));
            }

            for (int i = 0; i < channels; i++)
            {
                for (int j = 0; j < channels; j++)
                {
                    double value = a[i, j];
                    if (!double.IsFinite(value))
                    {
                        throw new ArgumentException($"coefficient A_{k + 1}[{i},{j}] is not finite", nameof(lagMatrices));
                    }

                    flat[(k * channels + i) * channels + j] = value;
                }
            }
        }

        Channels = channels;
        MaxLag = lagMatrices.Count;
        _coefficients = flat;
        (Edges, SelfTerms) = CollectEdges(flat, channels, MaxLag);
    }

    private VarNetwork(double[] flat, int channels, int maxLag)
    {
        Channels = channels;
        MaxLag = maxLag;
        _coefficients = flat;
        (Edges, SelfTerms) = CollectEdges(flat, channels, maxLag);
    }

    /// <summary>Number of channels C.</summary>
    public int Channels { get; }

    /// <summary>Model order p (number of lag matrices).</summary>
    public int MaxLag { get; }

    /// <summary>Non-zero cross coefficients (source ≠ target): the true lagged causal graph.</summary>
    public IReadOnlyList<LaggedEdge> Edges { get; }

    /// <summary>Non-zero autoregressive self terms (source = target).</summary>
    public IReadOnlyList<LaggedEdge> SelfTerms { get; }

    /// <summary>
    /// Spectral radius of the companion matrix; the process is stationary exactly when it is below 1.
    /// Computed with Gelfand's formula ρ = lim ‖Fᵏ‖^(1/k): every term is an upper bound on ρ, and the
    /// sequence k = 2, 4, 8, … is evaluated by repeated squaring with renormalisation until it settles
    /// (up to 2^60), so the value is ρ to close to machine precision and never below it by more than rounding.
    /// </summary>
    public double SpectralRadius
    {
        get
        {
            double value = Volatile.Read(ref _spectralRadius);
            if (double.IsNaN(value))
            {
                value = ComputeSpectralRadius(CompanionMatrix());
                Volatile.Write(ref _spectralRadius, value);
            }

            return value;
        }
    }

    /// <summary>True when <see cref="SpectralRadius"/> is below 1 (a stationary process).</summary>
    public bool IsStable => SpectralRadius < 1;

    /// <summary>
    /// Builds the random brain-like network described by <paramref name="options"/>: every channel gets an
    /// autoregressive self oscillator (a damped resonance at a random frequency when p ≥ 2, an AR(1) term when
    /// p = 1), plus random cross edges with random lags and signs; cross edges are scaled down by 10 % steps
    /// until the spectral radius is at most <see cref="SimulatorOptions.MaxSpectralRadius"/>.
    /// </summary>
    public static VarNetwork CreateRandom(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int c = options.Channels;
        int p = options.MaxLag;
        var rng = new Random(options.Seed);
        var self = new double[p * c * c];
        for (int i = 0; i < c; i++)
        {
            double radius = Uniform(rng, options.SelfPoleRadiusMin, options.SelfPoleRadiusMax);
            if (p >= 2)
            {
                double frequency = Uniform(rng, options.SelfFrequencyMinHz, options.SelfFrequencyMaxHz);
                double omega = 2 * Math.PI * frequency / options.SampleRate;
                self[Index(c, 1, i, i)] = 2 * radius * Math.Cos(omega);
                self[Index(c, 2, i, i)] = -radius * radius;
            }
            else
            {
                self[Index(c, 1, i, i)] = radius;
            }
        }

        // Distinct ordered pairs by a partial Fisher–Yates shuffle of all (source, target), source ≠ target.
        var pairs = new List<(int Source, int Target)>(c * (c - 1));
        for (int s = 0; s < c; s++)
        {
            for (int t = 0; t < c; t++)
            {
                if (s != t)
                {
                    pairs.Add((s, t));
                }
            }
        }

        int edges = options.EffectiveCrossEdges;
        var cross = new double[p * c * c];
        for (int e = 0; e < edges; e++)
        {
            int pick = rng.Next(e, pairs.Count);
            (pairs[e], pairs[pick]) = (pairs[pick], pairs[e]);
            var (source, target) = pairs[e];
            int lag = rng.Next(1, p + 1);
            double magnitude = Uniform(rng, options.CrossCoefficientMin, options.CrossCoefficientMax);
            double sign = rng.Next(2) == 0 ? -1 : 1;
            cross[Index(c, lag, target, source)] = sign * magnitude;
        }

        double scale = 1;
        for (int step = 0; step <= MaxScalingSteps; step++)
        {
            var flat = new double[self.Length];
            for (int i = 0; i < flat.Length; i++)
            {
                flat[i] = self[i] + scale * cross[i];
            }

            var network = new VarNetwork(flat, c, p);
            if (network.SpectralRadius <= options.MaxSpectralRadius)
            {
                return network;
            }

            scale *= 0.9;
        }

        throw new InvalidOperationException($"could not scale the random network (seed {options.Seed}) to a spectral radius of at most {options.MaxSpectralRadius}");
    }

    /// <summary>Coefficient <c>A_lag[target, source]</c>.</summary>
    public double Coefficient(int lag, int target, int source)
    {
        CheckLag(lag);
        CheckChannel(target, nameof(target));
        CheckChannel(source, nameof(source));
        return _coefficients[Index(Channels, lag, target, source)];
    }

    /// <summary>A copy of lag matrix A_lag, indexed [target, source].</summary>
    public double[,] GetLagMatrix(int lag)
    {
        CheckLag(lag);
        var a = new double[Channels, Channels];
        for (int i = 0; i < Channels; i++)
        {
            for (int j = 0; j < Channels; j++)
            {
                a[i, j] = _coefficients[Index(Channels, lag, i, j)];
            }
        }

        return a;
    }

    /// <summary>Copies of all lag matrices A_1..A_p.</summary>
    public double[][,] GetLagMatrices()
    {
        var matrices = new double[MaxLag][,];
        for (int k = 1; k <= MaxLag; k++)
        {
            matrices[k - 1] = GetLagMatrix(k);
        }

        return matrices;
    }

    /// <summary>
    /// Returns a network with <paramref name="delta"/> added to <c>A_lag[target, source]</c>
    /// (used for scheduled edges and for perturbation checks).
    /// </summary>
    public VarNetwork WithAddedCoefficient(int lag, int target, int source, double delta)
    {
        CheckLag(lag);
        CheckChannel(target, nameof(target));
        CheckChannel(source, nameof(source));
        var flat = (double[])_coefficients.Clone();
        flat[Index(Channels, lag, target, source)] += delta;
        return new VarNetwork(flat, Channels, MaxLag);
    }

    /// <summary>
    /// The companion (state-transition) matrix F of size Cp × Cp for the state
    /// <c>z_t = [x_t; x_{t−1}; …; x_{t−p+1}]</c>: first block row [A_1 … A_p], identities below.
    /// </summary>
    public double[,] CompanionMatrix()
    {
        int c = Channels;
        int n = c * MaxLag;
        var f = new double[n, n];
        for (int k = 1; k <= MaxLag; k++)
        {
            for (int i = 0; i < c; i++)
            {
                for (int j = 0; j < c; j++)
                {
                    f[i, (k - 1) * c + j] = _coefficients[Index(c, k, i, j)];
                }
            }
        }

        for (int i = c; i < n; i++)
        {
            f[i, i - c] = 1;
        }

        return f;
    }

    /// <summary>
    /// Stationary autocovariances Γ(k) = E[y_t y_{t−k}ᵀ] for k = 0..<paramref name="maxLag"/> of the output
    /// <c>y_t = x_t + η_t</c>, where the innovation covariance is σ²I (<paramref name="innovationSd"/>) and
    /// η is white measurement noise with covariance m²I (<paramref name="measurementNoiseSd"/>, added to Γ(0) only).
    /// Rhythmic drives, pulses and scheduled edges are not part of this model.
    /// </summary>
    /// <remarks>
    /// The companion covariance P solves the discrete Lyapunov equation P = F P Fᵀ + Q (Q = σ² on the first
    /// block); it is computed by the doubling iteration P ← P + G P Gᵀ, G ← G², which sums
    /// Σ_j F^j Q F^jᵀ over 2^m terms after m steps. Blocks (0, k) of P are Γ(k) for k &lt; p; larger lags follow
    /// the Yule–Walker recursion Γ(k) = Σ_l A_l Γ(k − l). Returned as [k][i, j].
    /// </remarks>
    public double[][,] TheoreticalCovariance(int maxLag, double innovationSd = 1, double measurementNoiseSd = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLag);
        if (!double.IsFinite(innovationSd) || innovationSd < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(innovationSd), innovationSd, "must be finite and >= 0");
        }

        if (!double.IsFinite(measurementNoiseSd) || measurementNoiseSd < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(measurementNoiseSd), measurementNoiseSd, "must be finite and >= 0");
        }

        if (!IsStable)
        {
            throw new InvalidOperationException($"the network is not stable (spectral radius {SpectralRadius}); it has no stationary covariance");
        }

        int c = Channels;
        int p = MaxLag;
        int n = c * p;
        var g = Flatten(CompanionMatrix());
        var cov = new double[n * n];
        for (int i = 0; i < c; i++)
        {
            cov[i * n + i] = innovationSd * innovationSd;
        }

        var temp = new double[n * n];
        var product = new double[n * n];
        for (int iteration = 0; iteration < 200; iteration++)
        {
            // product = G · P · Gᵀ
            Multiply(g, cov, temp, n);
            MultiplyTransposed(temp, g, product, n);
            double change = 0;
            double size = 0;
            for (int i = 0; i < cov.Length; i++)
            {
                cov[i] += product[i];
                change = Math.Max(change, Math.Abs(product[i]));
                size = Math.Max(size, Math.Abs(cov[i]));
            }

            Multiply(g, g, temp, n);
            (g, temp) = (temp, g);
            if (change <= 1e-17 * size)
            {
                break;
            }
        }

        // Symmetrise rounding.
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double mean = 0.5 * (cov[i * n + j] + cov[j * n + i]);
                cov[i * n + j] = mean;
                cov[j * n + i] = mean;
            }
        }

        var gamma = new double[maxLag + 1][,];
        for (int k = 0; k <= maxLag; k++)
        {
            var block = new double[c, c];
            if (k < p)
            {
                for (int i = 0; i < c; i++)
                {
                    for (int j = 0; j < c; j++)
                    {
                        block[i, j] = cov[i * n + k * c + j];
                    }
                }
            }
            else
            {
                for (int l = 1; l <= p; l++)
                {
                    var previous = gamma[k - l];
                    for (int i = 0; i < c; i++)
                    {
                        for (int j = 0; j < c; j++)
                        {
                            double sum = 0;
                            for (int m = 0; m < c; m++)
                            {
                                sum += _coefficients[Index(c, l, i, m)] * previous[m, j];
                            }

                            block[i, j] += sum;
                        }
                    }
                }
            }

            gamma[k] = block;
        }

        for (int i = 0; i < c; i++)
        {
            gamma[0][i, i] += measurementNoiseSd * measurementNoiseSd;
        }

        return gamma;
    }

    /// <summary>The coefficients in lag-major flat order: A_k[target, source] at (k − 1)·C·C + target·C + source.</summary>
    internal ReadOnlySpan<double> FlatCoefficients => _coefficients;

    internal static int Index(int channels, int lag, int target, int source)
        => ((lag - 1) * channels + target) * channels + source;

    /// <summary>Gelfand's formula by repeated squaring; see <see cref="SpectralRadius"/>.</summary>
    internal static double ComputeSpectralRadius(double[,] matrix)
    {
        int n = matrix.GetLength(0);
        var m = Flatten(matrix);
        var temp = new double[n * n];
        double norm = FrobeniusNorm(m);
        if (norm == 0)
        {
            return 0;
        }

        Scale(m, 1 / norm);

        // Invariant: F^power = exp(logNorm) · m with ‖m‖ = 1, so ‖F^power‖^(1/power) = exp(logNorm / power).
        double logNorm = Math.Log(norm);
        double power = 1;
        double estimate = norm;
        for (int step = 0; step < 60; step++)
        {
            Multiply(m, m, temp, n);
            (m, temp) = (temp, m);
            double squaredNorm = FrobeniusNorm(m);
            if (squaredNorm == 0)
            {
                return 0;
            }

            Scale(m, 1 / squaredNorm);
            logNorm = 2 * logNorm + Math.Log(squaredNorm);
            power *= 2;
            double next = Math.Exp(logNorm / power);
            bool settled = Math.Abs(next - estimate) <= 1e-15 * Math.Max(next, 1e-300);
            estimate = next;
            if (settled && step >= 30)
            {
                break;
            }
        }

        return estimate;
    }

    private static (IReadOnlyList<LaggedEdge> Edges, IReadOnlyList<LaggedEdge> SelfTerms) CollectEdges(double[] flat, int channels, int maxLag)
    {
        var edges = new List<LaggedEdge>();
        var self = new List<LaggedEdge>();
        for (int k = 1; k <= maxLag; k++)
        {
            for (int target = 0; target < channels; target++)
            {
                for (int source = 0; source < channels; source++)
                {
                    double value = flat[Index(channels, k, target, source)];
                    if (value != 0)
                    {
                        (source == target ? self : edges).Add(new LaggedEdge(source, target, k, value));
                    }
                }
            }
        }

        return (edges.AsReadOnly(), self.AsReadOnly());
    }

    private static double Uniform(Random rng, double min, double max) => min + (max - min) * rng.NextDouble();

    private static double[] Flatten(double[,] matrix)
    {
        int rows = matrix.GetLength(0);
        int cols = matrix.GetLength(1);
        var flat = new double[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                flat[i * cols + j] = matrix[i, j];
            }
        }

        return flat;
    }

    private static double FrobeniusNorm(double[] m)
    {
        double sum = 0;
        for (int i = 0; i < m.Length; i++)
        {
            sum += m[i] * m[i];
        }

        return Math.Sqrt(sum);
    }

    private static void Scale(double[] m, double factor)
    {
        for (int i = 0; i < m.Length; i++)
        {
            m[i] *= factor;
        }
    }

    // result = a · b for n × n row-major matrices (result must not alias a or b).
    private static void Multiply(double[] a, double[] b, double[] result, int n)
    {
        Array.Clear(result);
        for (int i = 0; i < n; i++)
        {
            for (int l = 0; l < n; l++)
            {
                double factor = a[i * n + l];
                if (factor == 0)
                {
                    continue;
                }

                for (int j = 0; j < n; j++)
                {
                    result[i * n + j] += factor * b[l * n + j];
                }
            }
        }
    }

    // result = a · bᵀ for n × n row-major matrices (result must not alias a or b).
    private static void MultiplyTransposed(double[] a, double[] b, double[] result, int n)
    {
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int l = 0; l < n; l++)
                {
                    sum += a[i * n + l] * b[j * n + l];
                }

                result[i * n + j] = sum;
            }
        }
    }

    private void CheckLag(int lag)
    {
        if (lag < 1 || lag > MaxLag)
        {
            throw new ArgumentOutOfRangeException(nameof(lag), lag, $"lag must be in 1..{MaxLag}");
        }
    }

    private void CheckChannel(int channel, string name)
    {
        if (channel < 0 || channel >= Channels)
        {
            throw new ArgumentOutOfRangeException(name, channel, $"channel must be in 0..{Channels - 1}");
        }
    }
}
