namespace CausalStream.Core.Stimulation;

/// <summary>Something that can deliver stimulation pulses: a device output, or the simulator's network input.</summary>
public interface IStimulationReceiver
{
    /// <summary>Queues the command for delivery; returns false (and delivers nothing) when it cannot be accepted.</summary>
    bool TryDeliver(StimulationCommand command);
}
