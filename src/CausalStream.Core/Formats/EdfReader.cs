using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace CausalStream.Core.Formats;

/// <summary>
/// Reads EDF, EDF+ (continuous and discontinuous) and BDF/BDF+ files record by record without loading them:
/// the header is parsed and checked on <see cref="Open"/>; <see cref="ReadRecords"/> decodes 16-bit (EDF) or 24-bit
/// (BDF) little-endian samples to physical values and parses the annotation signal's TALs. Times are seconds after
/// the header's start date and time (whole seconds); in EDF+ each record's onset comes from its time-keeping TAL, so
/// a sub-second start and the gaps of EDF+D files are kept. A file shorter than its header says delivers every
/// complete record and then throws <see cref="Damage"/> naming the byte offset.
/// </summary>
public sealed class EdfReader : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly List<string> _problems = [];
    private readonly int _bytesPerSample;
    private byte[] _buffer = [];
    private bool _disposed;

    private EdfReader(SafeFileHandle handle, string file)
    {
        _handle = handle;
        File = file;
        Length = RandomAccess.GetLength(handle);
        byte[] fixedPart = new byte[256];
        int got = RandomAccess.Read(handle, fixedPart, 0);
        if (got < 256)
        {
            throw new DataFormatException(file, "byte offset 0", $"not an EDF/BDF file: {got} bytes, shorter than the 256-byte header");
        }

        if (fixedPart[0] == 0xFF && Encoding.ASCII.GetString(fixedPart, 1, 7) == "BIOSEMI")
        {
            IsBdf = true;
        }
        else if (Ascii(fixedPart, 0, 8) != "0")
        {
            throw new DataFormatException(file, "byte offset 0", $"not an EDF/BDF file: the version field is '{Printable(fixedPart, 0, 8)}', expected '0' (EDF) or 0xFF 'BIOSEMI' (BDF)");
        }

        _bytesPerSample = IsBdf ? 3 : 2;
        PatientId = Ascii(fixedPart, 8, 80);
        RecordingId = Ascii(fixedPart, 88, 80);
        string date = Ascii(fixedPart, 168, 8);
        string time = Ascii(fixedPart, 176, 8);
        HeaderBytes = Integer(fixedPart, 184, 8, "header byte 184 (number of header bytes)");
        Reserved = Ascii(fixedPart, 192, 44);
        int declaredRecords = Integer(fixedPart, 236, 8, "header byte 236 (number of data records)");
        RecordDuration = Real(fixedPart, 244, 8, "header byte 244 (duration of a data record)");
        int signalCount = Integer(fixedPart, 252, 4, "header byte 252 (number of signals)");
        IsPlus = Reserved.StartsWith("EDF+", StringComparison.Ordinal) || Reserved.StartsWith("BDF+", StringComparison.Ordinal);
        IsDiscontinuous = Reserved.StartsWith("EDF+D", StringComparison.Ordinal) || Reserved.StartsWith("BDF+D", StringComparison.Ordinal);
        StartTime = ParseStart(date, time);

        if (signalCount <= 0)
        {
            throw new DataFormatException(file, "header byte 252", $"number of signals is {signalCount}; it must be positive");
        }

        if (HeaderBytes != 256 * (signalCount + 1))
        {
            throw new DataFormatException(file, "header byte 184", $"the header declares {HeaderBytes} bytes, but {signalCount} signals need 256 × ({signalCount} + 1) = {256 * (signalCount + 1)}");
        }

        if (!(RecordDuration >= 0))
        {
            throw new DataFormatException(file, "header byte 244", $"record duration {RecordDuration} is negative");
        }

        byte[] signalPart = new byte[256 * signalCount];
        if (RandomAccess.Read(handle, signalPart, 256) < signalPart.Length)
        {
            throw new DataFormatException(file, "byte offset 256", $"the file ends inside the signal headers ({Length} bytes, the header needs {HeaderBytes})");
        }

        Signals = ParseSignals(signalPart, signalCount);
        foreach (var signal in Signals)
        {
            RecordBytes += signal.SamplesPerRecord * _bytesPerSample;
            if (signal.IsAnnotation)
            {
                AnnotationSignals++;
            }
        }

        if (RecordDuration == 0 && Signals.Any(s => !s.IsAnnotation))
        {
            throw new DataFormatException(file, "header byte 244", "record duration is 0, which EDF allows only for annotation-only files");
        }

        long dataBytes = Length - HeaderBytes;
        long completeRecords = RecordBytes > 0 ? dataBytes / RecordBytes : 0;
        if (declaredRecords == -1)
        {
            RecordCount = (int)Math.Min(completeRecords, int.MaxValue);
            if (dataBytes % RecordBytes != 0)
            {
                _problems.Add($"{file}: byte offset {HeaderBytes + (completeRecords * RecordBytes)}: {dataBytes % RecordBytes} bytes after the last complete record (the header leaves the record count open); ignored");
            }
        }
        else if (declaredRecords < 0)
        {
            throw new DataFormatException(file, "header byte 236", $"number of data records is {declaredRecords}; expected -1 (unknown) or a count");
        }
        else
        {
            RecordCount = declaredRecords;
            long expected = (long)declaredRecords * RecordBytes;
            if (dataBytes < expected)
            {
                long offset = HeaderBytes + (completeRecords * RecordBytes);
                Damage = new DataFormatException(file, $"byte offset {offset}", $"the file is truncated or its header inconsistent: the header declares {declaredRecords} records of {RecordBytes} bytes ({HeaderBytes + expected} bytes in all), the file has {Length} bytes, so only {completeRecords} complete records; everything before this offset was read");
                ReadableRecords = (int)completeRecords;
            }
            else if (dataBytes > expected)
            {
                _problems.Add($"{file}: byte offset {HeaderBytes + expected}: {dataBytes - expected} bytes after the {declaredRecords} records the header declares (record size {RecordBytes}); ignored");
            }
        }

        if (Damage is null)
        {
            ReadableRecords = RecordCount;
        }

        StartOffset = IsPlus && ReadableRecords > 0 ? ReadFirstOnset() : 0;
    }

    public string File { get; }

    /// <summary>File size in bytes when it was opened.</summary>
    public long Length { get; }

    /// <summary>True for BDF (24-bit samples), false for EDF (16-bit).</summary>
    public bool IsBdf { get; }

    /// <summary>True for EDF+/BDF+ (the reserved field starts with "EDF+" or "BDF+").</summary>
    public bool IsPlus { get; }

    /// <summary>True for EDF+D/BDF+D: records are not contiguous and their onsets come from their TALs.</summary>
    public bool IsDiscontinuous { get; }

    public string PatientId { get; }

    public string RecordingId { get; }

    /// <summary>The header's reserved field ("EDF+C", "EDF+D", "24BIT", "BDF+C", or blank).</summary>
    public string Reserved { get; }

    /// <summary>Start date and time from the header (whole seconds; see <see cref="StartOffset"/> for the fraction).</summary>
    public DateTime StartTime { get; }

    /// <summary>Onset of the first record after <see cref="StartTime"/> (EDF+: its time-keeping TAL, e.g. a sub-second start); 0 otherwise.</summary>
    public double StartOffset { get; }

    public int HeaderBytes { get; }

    /// <summary>Records the header declares (or the file holds, when the header says -1).</summary>
    public int RecordCount { get; }

    /// <summary>Complete records present in the file (fewer than <see cref="RecordCount"/> when it is truncated).</summary>
    public int ReadableRecords { get; private set; }

    /// <summary>Seconds per data record.</summary>
    public double RecordDuration { get; }

    /// <summary>Bytes per data record.</summary>
    public int RecordBytes { get; }

    public IReadOnlyList<EdfSignal> Signals { get; }

    /// <summary>How many annotation signals the file has.</summary>
    public int AnnotationSignals { get; }

    /// <summary>Problems passed over (extra bytes, unreadable TALs), each naming the byte offset.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Set when the file holds fewer records than its header declares; <see cref="ReadRecords"/> throws it after the last complete one.</summary>
    public DataFormatException? Damage { get; }

    public static EdfReader Open(string path)
    {
        SafeFileHandle handle;
        try
        {
            handle = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, "(file)", $"cannot open: {ex.Message}");
        }

        try
        {
            return new EdfReader(handle, path);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decodes records from <paramref name="first"/> on, reusing one <see cref="EdfRecord"/>. After the last complete
    /// record of a truncated file, throws <see cref="Damage"/>.
    /// </summary>
    public IEnumerable<EdfRecord> ReadRecords(int first = 0)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var record = new EdfRecord(Signals);
        if (_buffer.Length < RecordBytes)
        {
            _buffer = new byte[RecordBytes];
        }

        for (int r = Math.Max(0, first); r < ReadableRecords; r++)
        {
            Decode(r, record);
            yield return record;
        }

        if (Damage is not null)
        {
            throw Damage;
        }
    }

    /// <summary>Index of the first record whose onset is at or after <paramref name="seconds"/> minus one record (continuous files: computed; EDF+D: read from the TALs).</summary>
    public int RecordAt(double seconds)
    {
        if (!IsDiscontinuous || AnnotationSignals == 0)
        {
            double index = Math.Floor((seconds - StartOffset) / Math.Max(RecordDuration, 1e-12));
            return (int)Math.Clamp(index, 0, Math.Max(0, ReadableRecords - 1));
        }

        int found = 0;
        var record = new EdfRecord(Signals);
        if (_buffer.Length < RecordBytes)
        {
            _buffer = new byte[RecordBytes];
        }

        for (int r = 0; r < ReadableRecords; r++)
        {
            Decode(r, record, annotationsOnly: true);
            if (record.Onset > seconds)
            {
                break;
            }

            found = r;
        }

        return found;
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _handle.Dispose();
        }
    }

    private void Decode(int r, EdfRecord record, bool annotationsOnly = false)
    {
        long offset = HeaderBytes + ((long)r * RecordBytes);
        var bytes = _buffer.AsSpan(0, RecordBytes);
        RandomAccess.Read(_handle, bytes, offset);
        record.Index = r;
        record.ByteOffset = offset;
        record.Onset = (r * RecordDuration) + StartOffset;
        record.AnnotationBuffer.Clear();
        bool timeKept = false;
        int p = 0;
        for (int s = 0; s < Signals.Count; s++)
        {
            var signal = Signals[s];
            int n = signal.SamplesPerRecord;
            var span = bytes.Slice(p, n * _bytesPerSample);
            if (signal.IsAnnotation)
            {
                ParseTals(span, record, ref timeKept, offset + p);
            }
            else if (!annotationsOnly)
            {
                var digital = record.DigitalBuffer(s);
                var physical = record.PhysicalBuffer(s);
                double gain = signal.Gain;
                double shift = signal.Offset;
                if (IsBdf)
                {
                    for (int i = 0; i < n; i++)
                    {
                        int v = span[3 * i] | (span[(3 * i) + 1] << 8) | (span[(3 * i) + 2] << 16);
                        v = (v << 8) >> 8;
                        digital[i] = v;
                        physical[i] = (gain * v) + shift;
                    }
                }
                else
                {
                    for (int i = 0; i < n; i++)
                    {
                        int v = (short)(span[2 * i] | (span[(2 * i) + 1] << 8));
                        digital[i] = v;
                        physical[i] = (gain * v) + shift;
                    }
                }
            }

            p += span.Length;
        }
    }

    /// <summary>Parses the TALs of one annotation signal: "+onset[\x15duration]\x14text\x14...\x14\0".</summary>
    private void ParseTals(ReadOnlySpan<byte> bytes, EdfRecord record, ref bool timeKept, long offset)
    {
        int p = 0;
        while (p < bytes.Length)
        {
            int end = bytes[p..].IndexOf((byte)0);
            int length = end < 0 ? bytes.Length - p : end;
            if (length == 0)
            {
                p++;
                continue;
            }

            var tal = bytes.Slice(p, length);
            p += length + 1;
            int headEnd = tal.IndexOf((byte)0x14);
            if (headEnd < 0)
            {
                Problem($"{File}: byte offset {offset}: record {record.Index}: a TAL without the 0x14 separator; skipped");
                continue;
            }

            var head = tal[..headEnd];
            int durationAt = head.IndexOf((byte)0x15);
            var onsetText = durationAt >= 0 ? head[..durationAt] : head;
            if (!double.TryParse(Encoding.ASCII.GetString(onsetText), NumberStyles.Float, CultureInfo.InvariantCulture, out double onset))
            {
                Problem($"{File}: byte offset {offset}: record {record.Index}: TAL onset '{Encoding.ASCII.GetString(onsetText)}' is not a number; skipped");
                continue;
            }

            double duration = double.NaN;
            if (durationAt >= 0 && !double.TryParse(Encoding.ASCII.GetString(head[(durationAt + 1)..]), NumberStyles.Float, CultureInfo.InvariantCulture, out duration))
            {
                duration = double.NaN;
            }

            var texts = tal[(headEnd + 1)..];
            bool first = true;
            while (texts.Length > 0)
            {
                int next = texts.IndexOf((byte)0x14);
                var text = next < 0 ? texts : texts[..next];
                texts = next < 0 ? [] : texts[(next + 1)..];
                if (first && !timeKept && text.Length == 0)
                {
                    // The record's time-keeping TAL: its onset is the record's start.
                    record.Onset = onset;
                    timeKept = true;
                }
                else if (text.Length > 0)
                {
                    record.AnnotationBuffer.Add(new EdfAnnotation(onset, duration, Encoding.UTF8.GetString(text)));
                }

                first = false;
            }
        }
    }

    private void Problem(string message)
    {
        if (_problems.Count < 1000 && !_problems.Contains(message))
        {
            _problems.Add(message);
        }
    }

    private double ReadFirstOnset()
    {
        var record = new EdfRecord(Signals);
        _buffer = new byte[RecordBytes];
        Decode(0, record, annotationsOnly: true);
        return record.Onset;
    }

    private EdfSignal[] ParseSignals(byte[] part, int ns)
    {
        var signals = new EdfSignal[ns];
        for (int s = 0; s < ns; s++)
        {
            // Field offsets (in units of ns): label 16, transducer 80, dimension 8, pmin 8, pmax 8, dmin 8, dmax 8, prefilter 80, spr 8, reserved 32.
            string label = Ascii(part, s * 16, 16);
            string where = $"signal {s + 1} ('{label}')";
            string transducer = Ascii(part, (16 * ns) + (s * 80), 80);
            string dimension = Ascii(part, (96 * ns) + (s * 8), 8);
            double pmin = Real(part, (104 * ns) + (s * 8), 8, where + " physical minimum");
            double pmax = Real(part, (112 * ns) + (s * 8), 8, where + " physical maximum");
            int dmin = Integer(part, (120 * ns) + (s * 8), 8, where + " digital minimum");
            int dmax = Integer(part, (128 * ns) + (s * 8), 8, where + " digital maximum");
            string prefilter = Ascii(part, (136 * ns) + (s * 80), 80);
            int spr = Integer(part, (216 * ns) + (s * 8), 8, where + " samples per record");
            if (spr <= 0)
            {
                throw new DataFormatException(File, $"header byte {256 + (216 * ns) + (s * 8)}", $"{where}: {spr} samples per record; it must be positive");
            }

            if (dmin >= dmax)
            {
                throw new DataFormatException(File, $"header byte {256 + (120 * ns) + (s * 8)}", $"{where}: digital minimum {dmin} is not below digital maximum {dmax}");
            }

            double gain = (pmax - pmin) / (dmax - dmin);
            if (pmax == pmin && !label.EndsWith("Annotations", StringComparison.Ordinal))
            {
                _problems.Add($"{File}: {where}: physical minimum equals physical maximum ({pmin}); digital values are used as they are");
                gain = 1;
                pmin = dmin;
            }

            double offset = pmin - (gain * dmin);
            signals[s] = new EdfSignal(s, label, transducer, dimension, pmin, pmax, dmin, dmax, prefilter, spr, gain, offset);
        }

        return signals;
    }

    private int Integer(byte[] bytes, int start, int width, string field)
    {
        string text = Ascii(bytes, start, width);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            throw new DataFormatException(File, $"header byte {(field.StartsWith("header", StringComparison.Ordinal) ? start : start + 256)}", $"{field}: '{text}' is not an integer");
        }

        return value;
    }

    private double Real(byte[] bytes, int start, int width, string field)
    {
        string text = Ascii(bytes, start, width);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new DataFormatException(File, $"header byte {(field.StartsWith("header", StringComparison.Ordinal) ? start : start + 256)}", $"{field}: '{text}' is not a number");
        }

        return value;
    }

    private static string Ascii(byte[] bytes, int start, int width) => Encoding.Latin1.GetString(bytes, start, width).Trim();

    private static string Printable(byte[] bytes, int start, int width)
    {
        var chars = new char[width];
        for (int i = 0; i < width; i++)
        {
            byte b = bytes[start + i];
            chars[i] = b is >= 32 and < 127 ? (char)b : '?';
        }

        return new string(chars);
    }

    private static DateTime ParseStart(string date, string time)
    {
        var d = date.Split('.');
        var t = time.Split('.');
        if (d.Length == 3 && t.Length == 3
            && int.TryParse(d[0], CultureInfo.InvariantCulture, out int day) && int.TryParse(d[1], CultureInfo.InvariantCulture, out int month) && int.TryParse(d[2], CultureInfo.InvariantCulture, out int yy)
            && int.TryParse(t[0], CultureInfo.InvariantCulture, out int hour) && int.TryParse(t[1], CultureInfo.InvariantCulture, out int minute) && int.TryParse(t[2], CultureInfo.InvariantCulture, out int second)
            && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(yy >= 85 ? 1900 + yy : 2000 + yy, month)
            && hour < 24 && minute < 60 && second < 60)
        {
            // EDF's two-digit years: 85-99 are 1985-1999, 00-84 are 2000-2084.
            return new DateTime(yy >= 85 ? 1900 + yy : 2000 + yy, month, day, hour, minute, second, DateTimeKind.Unspecified);
        }

        return default;
    }
}
