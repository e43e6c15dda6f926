using System.Diagnostics;
using System.Text;

namespace CausalStream.KafkaBench;

/// <summary>One <c>causalstream run</c> worker started under <c>taskset -c CORE</c>; its output is kept and its partition assignments are counted and timed.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private long _lastAssignment;
    private int _assignments;

    private WorkerProcess(Process process, int core)
    {
        _process = process;
        Core = core;
    }

    public int Core { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public int Assignments => Volatile.Read(ref _assignments);

    /// <summary>Stopwatch timestamp of the latest "assigned" line.</summary>
    public long LastAssignment => Interlocked.Read(ref _lastAssignment);

    /// <summary>CPU time the worker has used so far (user + system).</summary>
    public double CpuSeconds => _process.TotalProcessorTime.TotalSeconds;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static WorkerProcess Start(string cli, string config, string bootstrapServers, int core)
    {
        var info = new ProcessStartInfo("taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "-c", core.ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet", cli, "run", "--config", config, "--set", "source.kafka.bootstrapServers=" + bootstrapServers })
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var worker = new WorkerProcess(process, core);
        process.OutputDataReceived += (_, e) => worker.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => worker.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        if (line.Contains("kafka: group", StringComparison.Ordinal) && line.Contains(" assigned ", StringComparison.Ordinal))
        {
            Interlocked.Exchange(ref _lastAssignment, now);
            Interlocked.Increment(ref _assignments);
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
        _process.Dispose();
    }
}
