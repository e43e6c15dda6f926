using CausalStream.Core.Streams;

namespace CausalStream.Core.Stimulation;

/// <summary>
/// Decides every stimulation request against the safety interlocks, then the rule's randomisation, then
/// dry-run, and delivers what passes to every output. Every decision and every arm/disarm change goes to the
/// audit log. Thread-safe: the fast path (per chunk), graph rules (per hop) and the watchdog call it concurrently.
/// </summary>
public sealed class StimulationController : IStimulationControl
{
    private readonly object _gate = new();
    private readonly StimulationSafety _safety;
    private readonly IReadOnlyList<IStimulationReceiver> _outputs;
    private readonly IStimulationAudit? _audit;
    private readonly Random _random;
    private readonly long[] _fireTicks;
    private readonly double[] _fireDose;
    private readonly long _secondTicks = MonotonicClock.Frequency;
    private readonly long _minuteTicks = 60 * MonotonicClock.Frequency;
    private readonly long _refractoryTicks;
    private readonly long _staleTicks;
    private int _fireHead;
    private int _fireCount;
    private long _lastFireTicks = long.MinValue;
    private long _lastDataTicks;
    private bool _armed;
    private long _fired;
    private long _suppressed;
    private long _randomizedOut;
    private long _dryRun;

    public StimulationController(StimulationSafety safety, IReadOnlyList<IStimulationReceiver> outputs, IStimulationAudit? audit = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(safety);
        safety.Validate();
        _safety = safety;
        _outputs = outputs;
        _audit = audit;
        _random = new Random(seed);
        int slots = Math.Max(1, safety.MaxPulsesPerMinute);
        _fireTicks = new long[slots];
        _fireDose = new double[slots];
        _refractoryTicks = MonotonicClock.FromSeconds(safety.RefractorySeconds);
        _staleTicks = MonotonicClock.FromSeconds(safety.StaleDataSeconds);
        _armed = safety.Armed;
    }

    public StimulationSafety Safety => _safety;

    public bool IsArmed
    {
        get
        {
            lock (_gate)
            {
                return _armed;
            }
        }
    }

    public long Fired => Interlocked.Read(ref _fired);

    public long Suppressed => Interlocked.Read(ref _suppressed);

    public long RandomizedOut => Interlocked.Read(ref _randomizedOut);

    public long DryRunDecisions => Interlocked.Read(ref _dryRun);

    /// <summary>Arms the controller (from a dashboard control or the configuration).</summary>
    public void Arm(string reason) => SetArmed(true, reason);

    public void Disarm(string reason) => SetArmed(false, reason);

    /// <summary>Writes an operator's change of a rule setting (e.g. a threshold) to the audit log beside the arming state.</summary>
    public void RecordOperatorChange(string reason) => _audit?.RecordState(IsArmed, reason, DateTime.UtcNow);

    /// <summary>Tells the watchdog that fresh samples arrived (monotonic ticks).</summary>
    public void NoteData(long arrivalTicks)
    {
        long current = Interlocked.Read(ref _lastDataTicks);
        if (arrivalTicks > current)
        {
            Interlocked.Exchange(ref _lastDataTicks, arrivalTicks);
        }
    }

    /// <summary>Disarms when no fresh samples arrived for <see cref="StimulationSafety.StaleDataSeconds"/>; returns true when it did.</summary>
    public bool CheckWatchdog(long nowTicks)
    {
        long last = Interlocked.Read(ref _lastDataTicks);
        if (last == 0 || nowTicks - last <= _staleTicks)
        {
            return false;
        }

        lock (_gate)
        {
            if (!_armed)
            {
                return false;
            }
        }

        SetArmed(false, $"watchdog: no fresh samples for {MonotonicClock.ToSeconds(nowTicks - last):F3} s (limit {_safety.StaleDataSeconds} s)");
        return true;
    }

    /// <summary>Decides one request, delivers it when it passes, and logs the decision.</summary>
    public StimulationDecision Request(StimulationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        StimulationDecision decision;
        lock (_gate)
        {
            long now = MonotonicClock.Now;
            string interlock = CheckInterlocks(request, now);
            if (interlock.Length > 0)
            {
                decision = new StimulationDecision(request, StimulationOutcome.Suppressed, interlock, double.NaN, now, DateTime.UtcNow) { NewestArrivalTicks = request.ArrivalTicks };
                Interlocked.Increment(ref _suppressed);
            }
            else
            {
                double draw = request.Probability >= 1 ? double.NaN : _random.NextDouble();
                if (!double.IsNaN(draw) && draw >= request.Probability)
                {
                    decision = new StimulationDecision(request, StimulationOutcome.RandomizedOut, string.Empty, draw, now, DateTime.UtcNow) { NewestArrivalTicks = request.ArrivalTicks };
                    Interlocked.Increment(ref _randomizedOut);
                }
                else
                {
                    RecordFire(request, now);
                    if (_safety.DryRun)
                    {
                        decision = new StimulationDecision(request, StimulationOutcome.DryRun, string.Empty, draw, now, DateTime.UtcNow) { NewestArrivalTicks = request.ArrivalTicks };
                        Interlocked.Increment(ref _dryRun);
                    }
                    else
                    {
                        var command = new StimulationCommand(request.Channel, request.Amplitude, request.DurationSeconds, request.SourceTime, request.Rule);
                        for (int i = 0; i < _outputs.Count; i++)
                        {
                            _outputs[i].TryDeliver(command);
                        }

                        decision = new StimulationDecision(request, StimulationOutcome.Fired, string.Empty, draw, MonotonicClock.Now, DateTime.UtcNow) { NewestArrivalTicks = request.ArrivalTicks };
                        Interlocked.Increment(ref _fired);
                    }
                }
            }
        }

        _audit?.Record(decision);
        return decision;
    }

    private string CheckInterlocks(StimulationRequest request, long now)
    {
        if (!_armed)
        {
            return "disarmed";
        }

        long last = Interlocked.Read(ref _lastDataTicks);
        if (last == 0 || now - last > _staleTicks)
        {
            return "stale_data";
        }

        if (!double.IsFinite(request.Amplitude) || Math.Abs(request.Amplitude) > _safety.MaxAmplitude)
        {
            return "amplitude";
        }

        if (!double.IsFinite(request.DurationSeconds) || request.DurationSeconds <= 0 || request.DurationSeconds > _safety.MaxDurationSeconds)
        {
            return "duration";
        }

        if (_lastFireTicks != long.MinValue && now - _lastFireTicks < _refractoryTicks)
        {
            return "refractory";
        }

        int lastSecond = 0;
        int lastMinute = 0;
        double dose = 0;
        for (int k = 0; k < _fireCount; k++)
        {
            int slot = (_fireHead - 1 - k + _fireTicks.Length) % _fireTicks.Length;
            long age = now - _fireTicks[slot];
            if (age >= _minuteTicks)
            {
                break;
            }

            lastMinute++;
            dose += _fireDose[slot];
            if (age < _secondTicks)
            {
                lastSecond++;
            }
        }

        if (lastSecond >= _safety.MaxPulsesPerSecond)
        {
            return "rate_per_second";
        }

        if (lastMinute >= _safety.MaxPulsesPerMinute)
        {
            return "rate_per_minute";
        }

        if (dose + (Math.Abs(request.Amplitude) * request.DurationSeconds) > _safety.MaxDosePerMinute)
        {
            return "dose_per_minute";
        }

        return string.Empty;
    }

    private void RecordFire(StimulationRequest request, long now)
    {
        _lastFireTicks = now;
        _fireTicks[_fireHead] = now;
        _fireDose[_fireHead] = Math.Abs(request.Amplitude) * request.DurationSeconds;
        _fireHead = (_fireHead + 1) % _fireTicks.Length;
        _fireCount = Math.Min(_fireCount + 1, _fireTicks.Length);
    }

    private void SetArmed(bool armed, string reason)
    {
        lock (_gate)
        {
            if (_armed == armed)
            {
                return;
            }

            _armed = armed;
        }

        _audit?.RecordState(armed, reason, DateTime.UtcNow);
    }
}
