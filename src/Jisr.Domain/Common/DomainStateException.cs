namespace Jisr.Domain.Common;

/// <summary>The action is valid in itself but not in the object's current state (accepting an agreement twice, ...). Maps to 409.</summary>
public sealed class DomainStateException : Exception
{
    public DomainStateException(string message)
        : base(message)
    {
    }

    public DomainStateException()
    {
    }

    public DomainStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
