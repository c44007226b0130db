namespace Jisr.Server.Web;

/// <summary>The web interface's texts: <c>SharedResource.resx</c> (English), <c>.fr.resx</c> and <c>.ar.resx</c> beside this file.</summary>
public sealed class SharedResource
{
}
