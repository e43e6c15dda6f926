namespace CausalStream.Core.Formats;

/// <summary>
/// One signal of an EDF/BDF header: label, units and ranges, samples per data record, and the linear map from
/// digital to physical values, physical = Gain·digital + Offset (from the header's physical and digital ranges).
/// </summary>
public sealed record EdfSignal(
    int Index,
    string Label,
    string Transducer,
    string PhysicalDimension,
    double PhysicalMinimum,
    double PhysicalMaximum,
    int DigitalMinimum,
    int DigitalMaximum,
    string Prefiltering,
    int SamplesPerRecord,
    double Gain,
    double Offset)
{
    /// <summary>The EDF+/BDF+ annotation signal ("EDF Annotations" / "BDF Annotations"), which carries TALs, not samples.</summary>
    public bool IsAnnotation => Label is "EDF Annotations" or "BDF Annotations";

    /// <summary>Samples per second, given the record duration.</summary>
    public double Rate(double recordDuration) => recordDuration > 0 ? SamplesPerRecord / recordDuration : 0;
}
