using CausalStream.Core.Streams;

namespace CausalStream.Engine.Effects;

/// <summary>
/// Effect estimates kept up to date one event at a time in O(1) per event: the difference in means (Welford per
/// arm) and, when each event carries its known propensity (e.g. a randomised stimulation's logged probability),
/// the Hájek IPW estimate and its se from running weighted moments, plus an anytime-valid confidence sequence on
/// the Horvitz–Thompson scores. After the last event the values equal the batch estimators' on the same rows.
/// </summary>
public sealed class IncrementalEffectEstimator
{
    private readonly string _treatment;
    private readonly string _outcome;
    private readonly ConfidenceSequence _sequence;
    private long _n1, _n0, _nIpw, _nIpw1;
    private double _mean1, _m21, _mean0, _m20;
    private double _w1, _wy1, _ww1, _wwy1, _wwyy1;
    private double _w0, _wy0, _ww0, _wwy0, _wwyy0;

    public IncrementalEffectEstimator(string treatment, string outcome, double sequenceAlpha = 0.05, double sequenceTightestAt = 500)
    {
        _treatment = treatment;
        _outcome = outcome;
        _sequence = new ConfidenceSequence(sequenceAlpha, sequenceTightestAt);
    }

    /// <summary>The confidence sequence over the Horvitz–Thompson scores of events with a propensity.</summary>
    public ConfidenceSequence Sequence => _sequence;

    /// <summary>Adds one event; <paramref name="propensity"/> is P(treated) at that event, when known.</summary>
    public void Add(double outcome, bool treated, double? propensity = null)
    {
        if (!double.IsFinite(outcome))
        {
            return;
        }

        if (treated)
        {
            _n1++;
            double delta = outcome - _mean1;
            _mean1 += delta / _n1;
            _m21 += delta * (outcome - _mean1);
        }
        else
        {
            _n0++;
            double delta = outcome - _mean0;
            _mean0 += delta / _n0;
            _m20 += delta * (outcome - _mean0);
        }

        if (propensity is double e && e > 0 && e < 1)
        {
            _nIpw++;
            if (treated)
            {
                _nIpw1++;
                double w = 1 / e;
                _w1 += w;
                _wy1 += w * outcome;
                _ww1 += w * w;
                _wwy1 += w * w * outcome;
                _wwyy1 += w * w * outcome * outcome;
                _sequence.Add(w * outcome);
            }
            else
            {
                double w = 1 / (1 - e);
                _w0 += w;
                _wy0 += w * outcome;
                _ww0 += w * w;
                _wwy0 += w * w * outcome;
                _wwyy0 += w * w * outcome * outcome;
                _sequence.Add(-w * outcome);
            }
        }
    }

    /// <summary>The difference in means so far (withheld while an arm has fewer than two events).</summary>
    public EffectEstimate DifferenceInMeans()
    {
        int n = (int)(_n1 + _n0);
        if (_n1 < 2 || _n0 < 2)
        {
            return Withheld(DifferenceInMeansEstimator.Name, n, (int)_n1, _n1 < 2 ? "fewer than two treated events" : "fewer than two control events");
        }

        double se = Math.Sqrt((_m21 / (_n1 - 1) / _n1) + (_m20 / (_n0 - 1) / _n0));
        return Finished(DifferenceInMeansEstimator.Name, _mean1 - _mean0, se, n, (int)_n1, new Dictionary<string, double> { ["mean_treated"] = _mean1, ["mean_control"] = _mean0 });
    }

    /// <summary>The Hájek IPW estimate over the events that carried a propensity.</summary>
    public EffectEstimate Ipw()
    {
        int n = (int)_nIpw;
        if (_nIpw1 < 2 || _nIpw - _nIpw1 < 2)
        {
            return Withheld(IpwEstimator.Name, n, (int)_nIpw1, "fewer than two treated or two control events with a known propensity");
        }

        double mu1 = _wy1 / _w1, mu0 = _wy0 / _w0;
        double a1 = _w1 / n, a0 = _w0 / n;
        double q1 = _wwyy1 - (2 * mu1 * _wwy1) + (mu1 * mu1 * _ww1);
        double q0 = _wwyy0 - (2 * mu0 * _wwy0) + (mu0 * mu0 * _ww0);
        double q = (Math.Max(q1, 0) / (a1 * a1)) + (Math.Max(q0, 0) / (a0 * a0));
        var diagnostics = new Dictionary<string, double>
        {
            ["mu1"] = mu1,
            ["mu0"] = mu0,
            ["ess_treated"] = _w1 * _w1 / _ww1,
            ["ess_control"] = _w0 * _w0 / _ww0,
            ["cs_low"] = _sequence.Lower,
            ["cs_high"] = _sequence.Upper,
        };
        return Finished(IpwEstimator.Name, mu1 - mu0, Math.Sqrt(q / n / n), n, (int)_nIpw1, diagnostics);
    }

    private EffectEstimate Finished(string estimator, double estimate, double se, int n, int nTreated, Dictionary<string, double> diagnostics) => new()
    {
        Treatment = _treatment,
        Outcome = _outcome,
        Estimator = estimator,
        Estimand = "ATE",
        Estimate = estimate,
        StandardError = se,
        CiLow = estimate - (EffectResults.Z975 * se),
        CiHigh = estimate + (EffectResults.Z975 * se),
        N = n,
        NTreated = nTreated,
        Diagnostics = diagnostics,
    };

    private EffectEstimate Withheld(string estimator, int n, int nTreated, string reason) => new()
    {
        Treatment = _treatment,
        Outcome = _outcome,
        Estimator = estimator,
        Estimand = "ATE",
        N = n,
        NTreated = nTreated,
        WithheldReason = reason,
    };
}
