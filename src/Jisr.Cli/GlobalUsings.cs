// Namespaces most files of this project use; a file adds its own rarer ones.
global using Jisr.Storage;
global using Jisr.Storage.Accounts;
global using Microsoft.Extensions.DependencyInjection;
global using System.CommandLine;
