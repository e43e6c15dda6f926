using System.Globalization;
using System.Text;
using CausalStream.Lsl.Info;

namespace CausalStream.Lsl.Protocol;

/// <summary>
/// One clock probe of LSL's time correction: request <c>LSL:timedata\r\n&lt;wave&gt; &lt;t0&gt;\r\n</c> to the outlet's
/// service port, reply <c> &lt;wave&gt; &lt;t0&gt; &lt;t1&gt; &lt;t2&gt;</c> (leading space, no line end, 16 significant digits).
/// </summary>
/// <param name="WaveId">Identifies the probe wave; replies of other waves are ignored.</param>
/// <param name="T0">Inlet clock when the probe was sent.</param>
/// <param name="T1">Outlet clock when the probe arrived.</param>
/// <param name="T2">Outlet clock when the reply was formatted.</param>
public readonly record struct LslTimeProbe(int WaveId, double T0, double T1, double T2)
{
    /// <summary>First line of a time probe request.</summary>
    public const string Method = "LSL:timedata";

    /// <summary>Round-trip time without the outlet's processing time: (t3 − t0) − (t2 − t1).</summary>
    public double RoundTrip(double t3) => (t3 - T0) - (T2 - T1);

    /// <summary>Remote clock minus local clock: ((t1 − t0) + (t2 − t3)) / 2.</summary>
    public double Offset(double t3) => ((T1 - T0) + (T2 - t3)) / 2;

    /// <summary>The request datagram.</summary>
    public static byte[] WriteRequest(int waveId, double t0)
        => Encoding.ASCII.GetBytes($"{Method}\r\n{waveId.ToString(CultureInfo.InvariantCulture)} {LslNumberText.FormatProbeDouble(t0)}\r\n");

    /// <summary>Parses the second line of a request (<c>&lt;wave&gt; &lt;t0&gt;</c>).</summary>
    public static bool TryParseRequest(string line, out int waveId, out double t0)
    {
        t0 = 0;
        waveId = 0;
        string[] parts = (line ?? string.Empty).Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2
            && int.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out waveId)
            && LslNumberText.TryParseDouble(parts[1], out t0);
    }

    /// <summary>The reply datagram.</summary>
    public static byte[] WriteReply(int waveId, double t0, double t1, double t2)
        => Encoding.ASCII.GetBytes($" {waveId.ToString(CultureInfo.InvariantCulture)} {LslNumberText.FormatProbeDouble(t0)} {LslNumberText.FormatProbeDouble(t1)} {LslNumberText.FormatProbeDouble(t2)}");

    /// <summary>Parses a reply datagram; false when it is not four numbers.</summary>
    public static bool TryParseReply(ReadOnlySpan<byte> datagram, out LslTimeProbe probe)
    {
        probe = default;
        if (datagram.Length > 256)
        {
            return false;
        }

        string[] parts = Encoding.ASCII.GetString(datagram).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 4
            || !int.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int wave)
            || !LslNumberText.TryParseDouble(parts[1], out double t0)
            || !LslNumberText.TryParseDouble(parts[2], out double t1)
            || !LslNumberText.TryParseDouble(parts[3], out double t2))
        {
            return false;
        }

        probe = new LslTimeProbe(wave, t0, t1, t2);
        return true;
    }
}
