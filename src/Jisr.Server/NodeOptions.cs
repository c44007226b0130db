using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Jisr.Server;

/// <summary>How a node is started: its database, the addresses it listens on, its TLS certificate and how its audit log signs checkpoints.</summary>
public sealed record NodeOptions(DatabaseLocation Database, string Urls)
{
    /// <summary>Largest request body accepted; larger ones get 413 before anything is read into memory.</summary>
    public const long MaxRequestBodyBytes = 16L * 1024 * 1024;

    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>How fast passwords may be tried; null for the defaults.</summary>
    public Auth.SignInLimits? SignInLimits { get; init; }

    /// <summary>
    /// A PKCS#12 (.pfx) file with the node's TLS certificate and key: the node then serves HTTPS with HSTS. Its
    /// password, if any, comes from <see cref="CertificatePassword"/> (the CLI reads it from an environment
    /// variable, never from its arguments, which other users of the machine can see).
    /// </summary>
    public string? CertificatePath { get; init; }

    public string? CertificatePassword { get; init; }

    /// <summary>How often hit/no-hit filters are rebuilt and published; null for the default (5 minutes).</summary>
    public HitCheck.HitFilterOptions? HitFilters { get; init; }

    /// <summary>
    /// Checks the options before anything starts, so a mistake is one clear line rather than a failure at the first
    /// request; returns the loaded certificate, if any.
    /// </summary>
    public X509Certificate2? Validate(TimeProvider? time = null)
    {
        var urls = Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Guard.That(urls.Length > 0, "--urls", ValidationCodes.Required, "give at least one address, e.g. http://127.0.0.1:5080");
        foreach (var url in urls)
        {
            Guard.That(
                Uri.TryCreate(url.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                "--urls", ValidationCodes.NotAUrl,
                $"'{url}' is not an http:// or https:// address", url);
            Guard.That(uri!.Scheme == "http" || CertificatePath is not null || NodeKey.Passphrase is { Length: > 0 }, "--urls", ValidationCodes.HttpsNeedsCertificate, $"'{url}' is https: give the node its certificate with --certificate, or set JISR_NODE_KEY_PASSPHRASE to serve one made with the node's federation key", url);
        }

        if (CertificatePath is null)
        {
            return null;
        }

        Guard.That(File.Exists(CertificatePath), "--certificate", ValidationCodes.NoSuchFile, $"there is no file {CertificatePath}", CertificatePath!);
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword);
            Guard.That(certificate.HasPrivateKey, "--certificate", ValidationCodes.CertificateWithoutKey, "the file holds no private key: export the certificate with its key (.pfx)");
            Guard.That(certificate.NotAfter.ToUniversalTime() > (time ?? TimeProvider.System).GetUtcNow().UtcDateTime, "--certificate", ValidationCodes.CertificateExpired, $"the certificate expired on {certificate.NotAfter:yyyy-MM-dd}", certificate.NotAfter.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            return certificate;
        }
        catch (CryptographicException)
        {
            throw DomainValidationException.Coded("--certificate", ValidationCodes.CertificateUnreadable, "cannot be read: not a PKCS#12 (.pfx) file, or the password (JISR_CERTIFICATE_PASSWORD) is wrong");
        }
    }

    /// <summary>The federation key file and its passphrase (none: federation is off).</summary>
    public NodeKeyOptions NodeKey { get; init; } = new();

    /// <summary>The clock the node's certificate is dated by (tests replace it); null for the system clock.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>The audit key file and checkpoint intervals (defaults: the key next to a SQLite file, 1000 entries, 5 minutes).</summary>
    public AuditOptions Audit { get; init; } = new();
}
