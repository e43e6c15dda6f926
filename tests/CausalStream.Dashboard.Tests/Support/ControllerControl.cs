using CausalStream.Core.Stimulation;

namespace CausalStream.Dashboard.Tests.Support;

/// <summary>Exposes a real <see cref="StimulationController"/> through <see cref="IStimulationControl"/>.</summary>
internal sealed class ControllerControl(StimulationController controller) : IStimulationControl
{
    public bool IsArmed => controller.IsArmed;

    public void Arm(string reason) => controller.Arm(reason);

    public void Disarm(string reason) => controller.Disarm(reason);
}
