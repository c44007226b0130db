namespace Jisr.Cli.Commands;

/// <summary><c>jisr migrate</c>: create the database or bring its schema up to date.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var db = CommonOptions.Database();
        var command = new Command("migrate", "Create the database or bring its schema up to date") { db };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var location = DatabaseLocation.Parse(parsed.GetValue(db));
            await JisrDatabase.MigrateAsync(location, cancellationToken);
            Console.WriteLine($"OK database {location} is up to date");
            return 0;
        });
        return command;
    }
}
