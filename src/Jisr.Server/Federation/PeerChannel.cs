using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jisr.Server.Federation;

/// <summary>
/// HTTPS to peers, pinned: a connection is accepted only when the certificate the peer presents carries the key whose
/// fingerprint was pinned for it (no certificate authority, no host name: the pin is the trust). One client per pin.
/// </summary>
public sealed class PeerChannel : IDisposable
{
    public const string MessagesPath = "federation/v1/messages";
    public const string BatchPath = "federation/v1/messages/batch";
    public const string NodePath = "federation/v1/node";
    public const string HelloPath = "federation/v1/hello";

    private readonly ConcurrentDictionary<string, HttpClient> _clients = new();

    /// <summary>A client that talks only to the node holding the key of <paramref name="fingerprint"/>.</summary>
    public HttpClient For(string fingerprint) => _clients.GetOrAdd(fingerprint, Create);

    /// <summary>
    /// Asks the node at <paramref name="url"/> to describe itself, over a channel pinned to <paramref name="fingerprint"/>,
    /// and checks that the key it describes is the pinned one.
    /// </summary>
    public async Task<NodeDescription> DescribeAsync(Uri url, string fingerprint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        NodeDescription? description;
        try
        {
            description = await For(fingerprint).GetFromJsonAsync<NodeDescription>(new Uri(url, NodePath), FederationJson.Options, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new PeerException($"cannot reach the node at {url} with the fingerprint given: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        if (description is null || description.Fingerprint != fingerprint || NodeFingerprint.Of(Convert.FromBase64String(description.PublicKey)) != fingerprint)
        {
            throw new PeerException($"the node at {url} described a key other than the fingerprint given");
        }

        return description;
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    /// <summary>The fingerprint of the key a certificate carries.</summary>
    public static string FingerprintOf(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var loaded = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return NodeFingerprint.Of(loaded.PublicKey.ExportSubjectPublicKeyInfo());
    }

    private static HttpClient Create(string fingerprint)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SslOptions =
            {
                // The pin replaces the CA chain and the host name check: only the pinned key is accepted.
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && FingerprintOf(certificate) == fingerprint,
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }
}

/// <summary>A peer could not be reached or did not prove it holds the pinned key.</summary>
public sealed class PeerException : Exception
{
    public PeerException(string message)
        : base(message)
    {
    }

    public PeerException()
    {
    }

    public PeerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The node's TLS certificate: self-signed with the federation key, so the pinned fingerprint covers the channel too.</summary>
public static class NodeCertificate
{
    public static X509Certificate2 Create(NodeKey key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        var request = new CertificateRequest($"CN=jisr-node-{FederationStore.ShortId(key.Fingerprint)}", key.Key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }
}
