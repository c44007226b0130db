namespace Jisr.Storage;

/// <summary>
/// An ECDSA P-256 private key in a PEM file outside the database that only the node's user may read (0600), created
/// on first use: the audit key and the federation key are both kept this way.
/// </summary>
internal static class PrivateKeyFile
{
    /// <summary><c>PATH{suffix}</c> next to a SQLite file at <c>sqlite:PATH</c>, else <c>./jisr{suffix}</c> in the working directory.</summary>
    public static string DefaultPath(DatabaseLocation location, string suffix)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.Provider == DatabaseProvider.Sqlite
            ? Path.GetFullPath(location.Target + suffix)
            : Path.GetFullPath("jisr" + suffix);
    }

    /// <summary>
    /// Loads the key at <paramref name="path"/> with <paramref name="importPem"/>, first writing a new one with
    /// <paramref name="exportPem"/> if there is none. Refuses a file others may read, one that does not open
    /// (<paramref name="unreadable"/> says why, for a person) and a key that is not P-256. <paramref name="what"/> names
    /// the key in messages ("the audit key").
    /// </summary>
    public static ECDsa LoadOrCreate(string path, string what, Func<ECDsa, string> exportPem, Action<ECDsa, string> importPem, string unreadable)
    {
        if (!File.Exists(path))
        {
            Create(path, exportPem);
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            throw new InvalidOperationException($"{what} {path} may be read or changed by other users: chmod 600 it");
        }

        var key = ECDsa.Create();
        try
        {
            importPem(key, File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new InvalidOperationException($"{what} {path} {unreadable}", ex);
        }

        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new InvalidOperationException($"{what} {path} is not a P-256 key");
        }

        return key;
    }

    /// <summary>Writes a new key to a private temporary file and moves it in place; if another process won the race, its key stays.</summary>
    private static void Create(string path, Func<ECDsa, string> exportPem)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write(exportPem(key));
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
    }
}
