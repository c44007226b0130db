using System.Runtime;
using Jisr.Cli.Commands;
using Jisr.Domain.Common;

namespace Jisr.Cli;

/// <summary>
/// The <c>jisr</c> command. Every command exits 0 on success; on failure it prints one line that says what went
/// wrong and what to do, to standard error, and exits non-zero (1 for a failed operation, 2 for a usage error).
/// </summary>
public static class JisrCommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        var serve = ServeCommand.Create();
        var federation = FederationCommand.Create();
        var root = new RootCommand("Jisr: a node for security and intelligence cooperation between agencies")
        {
            serve,
            DemoCommand.Create(),
            MigrateCommand.Create(),
            AgencyCommand.Create(),
            UserCommand.Create(),
            TokenCommand.Create(),
            AuditCommand.Create(),
            MatchCommand.Create(),
            OpenApiCommand.Create(),
            StixCommand.Create(),
            MispCommand.Create(),
            SyncCommand.Create(),
            NodeCommand.Create(),
            PeerCommand.Create(),
            federation,
            XrefCommand.Create(),
            GraphCommand.Create(),
            HitCommand.Create(),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"jisr: {parsed.Errors[0].Message} (see 'jisr --help')");
            return 2;
        }

        // A one-off command does its work and exits: the collector may stop it to collect, with no concurrent marking
        // beside it (a tenth of a 100,000-person cross-reference's time). A node keeps the concurrent collector: its
        // pauses would be its requests' latency.
        HashSet<Command> runANode = [serve, .. federation.Subcommands.Where(c => c.Name == "demo")];
        if (!runANode.Contains(parsed.CommandResult.Command))
        {
            GCSettings.LatencyMode = GCLatencyMode.Batch;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (DomainValidationException invalid)
        {
            await Console.Error.WriteLineAsync($"jisr: {invalid.Field}: {invalid.Reason}");
            return 1;
        }
        catch (DomainStateException conflict)
        {
            await Console.Error.WriteLineAsync($"jisr: {conflict.Message}");
            return 1;
        }
        catch (CommandException failed)
        {
            await Console.Error.WriteLineAsync($"jisr: {failed.Message}");
            return 1;
        }
        catch (ArgumentException bad)
        {
            await Console.Error.WriteLineAsync($"jisr: {bad.Message}");
            return 2;
        }
#pragma warning disable CA1031 // The CLI's last line of defence: one clear line instead of a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await Console.Error.WriteLineAsync($"jisr: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
            return 1;
        }
    }
}

/// <summary>A command failed for a reason the user can act on; the message is printed as is.</summary>
public sealed class CommandException : Exception
{
    public CommandException(string message)
        : base(message)
    {
    }

    public CommandException()
    {
    }

    public CommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
