using Jisr.Cli;

return await JisrCommandLine.RunAsync(args);
