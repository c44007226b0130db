using Jisr.Testing;

namespace Jisr.Cli.Tests;

/// <summary>
/// <c>jisr node init|show</c> and <c>jisr peer add</c> as an operator runs them: the key is encrypted at rest and
/// private, the fingerprint printed is the one partners pin, and a partner that does not hold the pinned key is refused.
/// </summary>
[Collection("node key passphrase")]
public sealed class NodePeerCommandTests : IDisposable
{
    private const string Passphrase = "cli test node passphrase";
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("jisr-node-cli-");

    private string Db => $"sqlite:{Path.Combine(_directory.FullName, "jisr.db")}";

    [Fact]
    public async Task NodeInit_MakesAnEncryptedPrivateKey_AndShowPrintsTheSameFingerprint()
    {
        var without = await Jisr.RunAsync("node", "show", "--db", Db);
        Assert.Equal(1, without.ExitCode);
        Assert.Contains("JISR_NODE_KEY_PASSPHRASE", Assert.Single(without.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);

        var init = await WithPassphraseAsync(Passphrase, "node", "init", "--db", Db);
        Assert.Equal(0, init.ExitCode);
        var fingerprint = Line(init, "fingerprint");
        Assert.Matches("^[0-9a-f]{64}$", fingerprint);
        var keyFile = Path.Combine(_directory.FullName, "jisr.db.node-key");
        Assert.Contains("ENCRYPTED PRIVATE KEY", await File.ReadAllTextAsync(keyFile), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        Assert.Equal(fingerprint, Line(await WithPassphraseAsync(Passphrase, "node", "show", "--db", Db), "fingerprint"));
        var wrong = await WithPassphraseAsync("not the right passphrase", "node", "show", "--db", Db);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("cannot be opened", wrong.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PeerAdd_PinsAPartnerThatHoldsTheKey_AndRefusesOneThatDoesNot()
    {
        await using var partner = await TestNode.StartFederatedAsync();
        await partner.AddAgencyAsync("ES-CNP", "ES");
        await using var impostor = await TestNode.StartFederatedAsync();
        Assert.Equal(0, (await WithPassphraseAsync(Passphrase, "node", "init", "--db", Db)).ExitCode);

        var refused = await WithPassphraseAsync(Passphrase, "peer", "add", "--db", Db, "--url", impostor.BaseAddress.ToString(), "--fingerprint", partner.Fingerprint!);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("cannot reach the node", refused.Error, StringComparison.Ordinal);

        var added = await WithPassphraseAsync(Passphrase, "peer", "add", "--db", Db, "--url", partner.BaseAddress.ToString(), "--fingerprint", partner.Fingerprint!.ToUpperInvariant());
        Assert.Equal(0, added.ExitCode);
        Assert.Contains("agencies ES-CNP", added.Output, StringComparison.Ordinal);
        var again = await WithPassphraseAsync(Passphrase, "peer", "add", "--db", Db, "--url", partner.BaseAddress.ToString(), "--fingerprint", partner.Fingerprint!);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("is a peer already", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeRotateKey_PutsANewKeyInPlace_KeepsTheOldOne_AndRefusesAnInterruptedRotation()
    {
        var missing = await WithPassphraseAsync(Passphrase, "node", "rotate-key", "--db", Db);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("run 'jisr node init' first", missing.Error, StringComparison.Ordinal);

        var old = Line(await WithPassphraseAsync(Passphrase, "node", "init", "--db", Db), "fingerprint");
        var rotated = await WithPassphraseAsync(Passphrase, "node", "rotate-key", "--db", Db);
        Assert.Equal(0, rotated.ExitCode);
        Assert.Equal(old, Line(rotated, "old"));
        var fresh = Line(rotated, "fingerprint");
        Assert.NotEqual(old, fresh);
        Assert.Equal(fresh, Line(await WithPassphraseAsync(Passphrase, "node", "show", "--db", Db), "fingerprint"));
        var keyFile = Path.Combine(_directory.FullName, "jisr.db.node-key");
        Assert.True(File.Exists($"{keyFile}.retired-{old[..16]}"), "the old key is kept beside the new one");

        // A new key left by an interrupted rotation stops the next one with what to do.
        await File.WriteAllTextAsync($"{keyFile}.next", "left over");
        var interrupted = await WithPassphraseAsync(Passphrase, "node", "rotate-key", "--db", Db);
        Assert.Equal(1, interrupted.ExitCode);
        Assert.Contains("interrupted", interrupted.Error, StringComparison.Ordinal);
        Assert.Equal(fresh, Line(await WithPassphraseAsync(Passphrase, "node", "show", "--db", Db), "fingerprint"));
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private static string Line(Jisr.Result result, string key) =>
        result.OutputLines.Single(l => l.StartsWith(key + "\t", StringComparison.Ordinal)).Split('\t')[1];

    private static async Task<Jisr.Result> WithPassphraseAsync(string passphrase, params string[] args)
    {
        // Only the child process gets the passphrase (see Jisr.NodeKeyPassphrase).
        Jisr.NodeKeyPassphrase.Value = passphrase;
        try
        {
            return await Jisr.RunAsync(args);
        }
        finally
        {
            Jisr.NodeKeyPassphrase.Value = null;
        }
    }
}
