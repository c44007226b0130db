// Namespaces most files of this project use; a file adds its own rarer ones.
global using Jisr.Domain.Common;
global using Jisr.Domain.Markings;
global using Jisr.Domain.Users;
