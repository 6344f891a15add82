// Every part of the iSCSI fabric speaks PDUs (Protocol) and hands tasks to the SCSI engine (Scsi).
global using SharpSan.Protocol;
global using SharpSan.Scsi;
