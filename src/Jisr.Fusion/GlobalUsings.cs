// Namespaces most files of this project use; a file adds its own rarer ones.
global using Jisr.Domain.Common;
