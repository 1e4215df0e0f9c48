// Object types of the simulated Hyper-V and CIM modules (tests/hostsim/hyperv). They carry the
// type names of the real ones (Microsoft.HyperV.PowerShell.*), so the simulated cmdlets can declare the real parameter types. Compiled into the
// hostsim worker assembly; PowerShell 7 on Linux ships no Hyper-V module, so nothing clashes. State lives in JSON files under each host's C:\ProgramData\HyperVSim; these objects
// are snapshots that the cmdlets re-read by name or id.
using System;
using System.Collections.Generic;

namespace Microsoft.HyperV.PowerShell
{
    public enum VMState
    {
        Other = 1,
        Running = 2,
        Off = 3,
        Stopping = 4,
        Saved = 6,
        Paused = 9,
        Starting = 10,
        Reset = 11,
    }

    public enum VMSwitchType { Private = 0, Internal = 1, External = 2 }

    public enum ControllerType { IDE = 0, SCSI = 1 }

    public enum OnOffState { On = 0, Off = 1 }

    public enum BootDevice { Floppy = 0, CD = 1, IDE = 2, LegacyNetworkAdapter = 3, NetworkAdapter = 4, VHD = 5 }

    public enum VMNetworkAdapterVlanMode { Untagged = 0, Access = 1, Trunk = 2, Isolated = 3, Community = 4, Promiscuous = 5 }

    public class VirtualizationObject
    {
        public string ComputerName { get; set; } = "";
    }

    public sealed class VMHost : VirtualizationObject
    {
        public string Name { get; set; } = "";
        public string VirtualMachinePath { get; set; } = "";
        public string VirtualHardDiskPath { get; set; } = "";
        public int LogicalProcessorCount { get; set; }
        public long MemoryCapacity { get; set; }
    }

    public sealed class VirtualMachine : VirtualizationObject
    {
        public string Name { get; set; } = "";
        public Guid Id { get; set; }
        public Guid VMId => Id;
        public string VMName => Name;
        public VMState State { get; set; } = VMState.Off;
        public int Generation { get; set; } = 2;
        public long ProcessorCount { get; set; } = 1;
        public long MemoryStartup { get; set; }
        public long MemoryAssigned { get; set; }
        public long MemoryMinimum { get; set; }
        public long MemoryMaximum { get; set; }
        public bool DynamicMemoryEnabled { get; set; }
        public TimeSpan Uptime { get; set; }
        public string Path { get; set; } = "";
        public string ConfigurationLocation { get; set; } = "";
        public string Notes { get; set; } = "";
        public override string ToString() => Name;
    }

    // What Set-VMFirmware -FirstBootDevice and friends accept: any device of a VM.
    public class VMComponentObject : VirtualizationObject
    {
        public string Name { get; set; } = "";
        public string VMName { get; set; } = "";
        public Guid VMId { get; set; }
        public string Id { get; set; } = "";
    }

    public sealed class VMSwitch : VirtualizationObject
    {
        public string Name { get; set; } = "";
        public Guid Id { get; set; }
        public VMSwitchType SwitchType { get; set; }
        public string NetAdapterInterfaceDescription { get; set; } = "";
        public bool AllowManagementOS { get; set; }
        public override string ToString() => Name;
    }

    public sealed class VMNetworkAdapter : VMComponentObject
    {
        public string SwitchName { get; set; } = "";
        public string MacAddress { get; set; } = "";
    }

    public sealed class VMNetworkAdapterVlanSetting : VMComponentObject
    {
        public VMNetworkAdapterVlanMode OperationMode { get; set; }
        public int AccessVlanId { get; set; }
    }

    public class Drive : VMComponentObject
    {
        public string Path { get; set; } = "";
        public ControllerType ControllerType { get; set; }
        public int ControllerNumber { get; set; }
        public int ControllerLocation { get; set; }
    }

    public sealed class HardDiskDrive : Drive { }

    public sealed class DvdDrive : Drive { }

    public sealed class VMFirmware : VMComponentObject
    {
        public OnOffState SecureBoot { get; set; }
        public string SecureBootTemplate { get; set; } = "";
        public object[] BootOrder { get; set; } = Array.Empty<object>();
    }
}

namespace AetherV.HostSim.Cim
{
    // One CIM instance: class, namespace and property values. The simulated cmdlets hand it out
    // wrapped in a PSObject whose note properties mirror Properties, as PowerShell's CIM adapter
    // shows the real one. PowerShell 7 on Linux carries the real
    // Microsoft.Management.Infrastructure.CimInstance, but creating one needs the native MI
    // library (libmi), which Linux lacks; so the simulated cmdlets take this type where the real
    // ones take that one.
    public sealed class CimInstance
    {
        public CimInstance(string className, string cimNamespace)
        {
            CimClassName = className;
            CimNamespace = cimNamespace;
        }

        public string CimClassName { get; }
        public string CimNamespace { get; }
        public Dictionary<string, object> Properties { get; } = new(StringComparer.OrdinalIgnoreCase);

        public object this[string name] => Properties.TryGetValue(name, out var v) ? v : null;

        public override string ToString()
        {
            var key = this["Name"] ?? this["InstanceID"] ?? this["ElementName"];
            return key == null ? CimClassName : CimClassName + " (Name = \"" + key + "\")";
        }
    }
}
