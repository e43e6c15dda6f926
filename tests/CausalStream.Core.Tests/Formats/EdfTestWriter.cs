using System.Globalization;
using System.Text;

namespace CausalStream.Core.Tests.Formats;

/// <summary>Writes small EDF/EDF+/BDF files for round trips and malformed variants (test-only).</summary>
internal sealed class EdfTestWriter
{
    public bool Bdf { get; init; }

    public string Reserved { get; init; } = "EDF+C";

    public double RecordDuration { get; init; } = 1;

    /// <summary>Declared record count; null writes the actual count.</summary>
    public int? DeclaredRecords { get; init; }

    public List<(string Label, int SamplesPerRecord, double PhysicalMin, double PhysicalMax, int DigitalMin, int DigitalMax)> Signals { get; } = [];

    /// <summary>Builds the file: <paramref name="digital"/>(record, signal, sample) gives each stored value; <paramref name="tal"/>(record) the annotation signal's text.</summary>
    public byte[] Build(int records, Func<int, int, int, int> digital, Func<int, string>? tal = null)
    {
        int ns = Signals.Count;
        var header = new StringBuilder();
        void Field(string text, int width) => header.Append(text.PadRight(width)[..width]);
        Field("0", 8);
        Field("X X X X", 80);
        Field("Startdate 01-JAN-2024 X X X", 80);
        Field("01.01.24", 8);
        Field("10.00.00", 8);
        Field((256 * (ns + 1)).ToString(CultureInfo.InvariantCulture), 8);
        Field(Bdf ? (Reserved.StartsWith("BDF", StringComparison.Ordinal) ? Reserved : "24BIT") : Reserved, 44);
        Field((DeclaredRecords ?? records).ToString(CultureInfo.InvariantCulture), 8);
        Field(RecordDuration.ToString(CultureInfo.InvariantCulture), 8);
        Field(ns.ToString(CultureInfo.InvariantCulture), 4);
        foreach (var s in Signals) Field(s.Label, 16);
        foreach (var _ in Signals) Field(string.Empty, 80);
        foreach (var s in Signals) Field(s.Label.Contains("Annotations", StringComparison.Ordinal) ? string.Empty : "uV", 8);
        foreach (var s in Signals) Field(s.PhysicalMin.ToString(CultureInfo.InvariantCulture), 8);
        foreach (var s in Signals) Field(s.PhysicalMax.ToString(CultureInfo.InvariantCulture), 8);
        foreach (var s in Signals) Field(s.DigitalMin.ToString(CultureInfo.InvariantCulture), 8);
        foreach (var s in Signals) Field(s.DigitalMax.ToString(CultureInfo.InvariantCulture), 8);
        foreach (var _ in Signals) Field(string.Empty, 80);
        foreach (var s in Signals) Field(s.SamplesPerRecord.ToString(CultureInfo.InvariantCulture), 8);
        foreach (var _ in Signals) Field(string.Empty, 32);
        var bytes = new List<byte>(Encoding.Latin1.GetBytes(header.ToString()));
        if (Bdf)
        {
            bytes[0] = 0xFF;
            for (int i = 0; i < 7; i++)
            {
                bytes[1 + i] = (byte)"BIOSEMI"[i];
            }
        }

        int width = Bdf ? 3 : 2;
        for (int r = 0; r < records; r++)
        {
            for (int s = 0; s < ns; s++)
            {
                var signal = Signals[s];
                if (signal.Label.Contains("Annotations", StringComparison.Ordinal))
                {
                    var text = Encoding.UTF8.GetBytes(tal?.Invoke(r) ?? string.Empty);
                    var field = new byte[signal.SamplesPerRecord * width];
                    Array.Copy(text, field, Math.Min(text.Length, field.Length));
                    bytes.AddRange(field);
                    continue;
                }

                for (int i = 0; i < signal.SamplesPerRecord; i++)
                {
                    int v = digital(r, s, i);
                    bytes.Add((byte)v);
                    bytes.Add((byte)(v >> 8));
                    if (Bdf)
                    {
                        bytes.Add((byte)(v >> 16));
                    }
                }
            }
        }

        return [.. bytes];
    }

    /// <summary>A time-keeping TAL for a record starting at <paramref name="onset"/>, plus optional annotations.</summary>
    public static string Tal(double onset, params (double Onset, double? Duration, string Text)[] annotations)
    {
        var sb = new StringBuilder();
        sb.Append(Signed(onset)).Append("\u0014\u0014\0");
        foreach (var (at, duration, text) in annotations)
        {
            sb.Append(Signed(at));
            if (duration is double d)
            {
                sb.Append('\u0015').Append(d.ToString(CultureInfo.InvariantCulture));
            }

            sb.Append('\u0014').Append(text).Append("\u0014\0");
        }

        return sb.ToString();
    }

    private static string Signed(double value) => (value >= 0 ? "+" : string.Empty) + value.ToString(CultureInfo.InvariantCulture);
}
