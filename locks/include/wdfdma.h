/* wdfdma.h: KMDF DMA, as wdf.h includes it, over locks/wdf_dma.c: the DMA
 * enabler, common buffers, and DMA transactions whose EvtProgramDma the
 * framework calls at DISPATCH_LEVEL once per transfer until
 * WdfDmaTransactionDmaCompleted* says the transaction is done. Reports
 * name the KMDF routine. */
#ifndef SPINSIM_WDFDMA_H
#define SPINSIM_WDFDMA_H

#include "wdf.h"

typedef enum _WDF_DMA_PROFILE {
    WdfDmaProfileInvalid = 0,
    WdfDmaProfilePacket,
    WdfDmaProfileScatterGather,
    WdfDmaProfilePacket64,
    WdfDmaProfileScatterGather64,
    WdfDmaProfileScatterGatherDuplex,
    WdfDmaProfileScatterGather64Duplex,
    WdfDmaProfileSystem,
    WdfDmaProfileSystemDuplex,
} WDF_DMA_PROFILE;

typedef enum _WDF_DMA_DIRECTION {
    WdfDmaDirectionReadFromDevice = FALSE,
    WdfDmaDirectionWriteToDevice = TRUE,
} WDF_DMA_DIRECTION;

typedef _Function_class_(EVT_WDF_DMA_ENABLER_FILL) NTSTATUS EVT_WDF_DMA_ENABLER_FILL(WDFDMAENABLER DmaEnabler);
typedef EVT_WDF_DMA_ENABLER_FILL *PFN_WDF_DMA_ENABLER_FILL;
typedef _Function_class_(EVT_WDF_DMA_ENABLER_FLUSH) NTSTATUS EVT_WDF_DMA_ENABLER_FLUSH(WDFDMAENABLER DmaEnabler);
typedef EVT_WDF_DMA_ENABLER_FLUSH *PFN_WDF_DMA_ENABLER_FLUSH;
typedef _Function_class_(EVT_WDF_DMA_ENABLER_ENABLE) NTSTATUS EVT_WDF_DMA_ENABLER_ENABLE(WDFDMAENABLER DmaEnabler);
typedef EVT_WDF_DMA_ENABLER_ENABLE *PFN_WDF_DMA_ENABLER_ENABLE;
typedef _Function_class_(EVT_WDF_DMA_ENABLER_DISABLE) NTSTATUS EVT_WDF_DMA_ENABLER_DISABLE(WDFDMAENABLER DmaEnabler);
typedef EVT_WDF_DMA_ENABLER_DISABLE *PFN_WDF_DMA_ENABLER_DISABLE;
typedef _Function_class_(EVT_WDF_DMA_ENABLER_SELFMANAGED_IO_START) NTSTATUS
    EVT_WDF_DMA_ENABLER_SELFMANAGED_IO_START(WDFDMAENABLER DmaEnabler);
typedef EVT_WDF_DMA_ENABLER_SELFMANAGED_IO_START *PFN_WDF_DMA_ENABLER_SELFMANAGED_IO_START;
typedef _Function_class_(EVT_WDF_DMA_ENABLER_SELFMANAGED_IO_STOP) NTSTATUS
    EVT_WDF_DMA_ENABLER_SELFMANAGED_IO_STOP(WDFDMAENABLER DmaEnabler);
typedef EVT_WDF_DMA_ENABLER_SELFMANAGED_IO_STOP *PFN_WDF_DMA_ENABLER_SELFMANAGED_IO_STOP;

/* The enabler callbacks are kept but never called (no power transitions). */
typedef struct _WDF_DMA_ENABLER_CONFIG {
    ULONG Size;
    WDF_DMA_PROFILE Profile;
    size_t MaximumLength;
    PFN_WDF_DMA_ENABLER_FILL EvtDmaEnablerFill;
    PFN_WDF_DMA_ENABLER_FLUSH EvtDmaEnablerFlush;
    PFN_WDF_DMA_ENABLER_DISABLE EvtDmaEnablerDisable;
    PFN_WDF_DMA_ENABLER_ENABLE EvtDmaEnablerEnable;
    PFN_WDF_DMA_ENABLER_SELFMANAGED_IO_START EvtDmaEnablerSelfManagedIoStart;
    PFN_WDF_DMA_ENABLER_SELFMANAGED_IO_STOP EvtDmaEnablerSelfManagedIoStop;
    ULONG AddressWidthOverride;
    ULONG WdmDmaVersionOverride;
    ULONG Flags;
} WDF_DMA_ENABLER_CONFIG, *PWDF_DMA_ENABLER_CONFIG;

FORCEINLINE VOID WDF_DMA_ENABLER_CONFIG_INIT(PWDF_DMA_ENABLER_CONFIG Config, WDF_DMA_PROFILE Profile,
                                             size_t MaximumLength) {
    RtlZeroMemory(Config, sizeof(WDF_DMA_ENABLER_CONFIG));
    Config->Size = sizeof(WDF_DMA_ENABLER_CONFIG);
    Config->Profile = Profile;
    Config->MaximumLength = MaximumLength;
}

typedef _Function_class_(EVT_WDF_PROGRAM_DMA) BOOLEAN
    EVT_WDF_PROGRAM_DMA(WDFDMATRANSACTION Transaction, WDFDEVICE Device, WDFCONTEXT Context,
                        WDF_DMA_DIRECTION Direction, PSCATTER_GATHER_LIST SgList);
typedef EVT_WDF_PROGRAM_DMA *PFN_WDF_PROGRAM_DMA;

/* ---- the implementation behind the macros ------------------------------- */

NTSTATUS spinsim_WdfDmaEnablerCreate(WDFDEVICE Device, PWDF_DMA_ENABLER_CONFIG Config,
                                     PWDF_OBJECT_ATTRIBUTES Attributes, WDFDMAENABLER *DmaEnablerHandle,
                                     const sim_site *site);
VOID spinsim_WdfDmaEnablerSetMaximumScatterGatherElements(WDFDMAENABLER DmaEnabler, size_t MaximumFragments,
                                                          const sim_site *site);
NTSTATUS spinsim_WdfCommonBufferCreate(WDFDMAENABLER DmaEnabler, size_t Length, PWDF_OBJECT_ATTRIBUTES Attributes,
                                       WDFCOMMONBUFFER *CommonBuffer, const sim_site *site);
PVOID spinsim_WdfCommonBufferGetAlignedVirtualAddress(WDFCOMMONBUFFER CommonBuffer, const sim_site *site);
PHYSICAL_ADDRESS spinsim_WdfCommonBufferGetAlignedLogicalAddress(WDFCOMMONBUFFER CommonBuffer, const sim_site *site);
size_t spinsim_WdfCommonBufferGetLength(WDFCOMMONBUFFER CommonBuffer, const sim_site *site);
NTSTATUS spinsim_WdfDmaTransactionCreate(WDFDMAENABLER DmaEnabler, PWDF_OBJECT_ATTRIBUTES Attributes,
                                         WDFDMATRANSACTION *DmaTransaction, const sim_site *site);
NTSTATUS spinsim_WdfDmaTransactionInitialize(WDFDMATRANSACTION DmaTransaction,
                                             PFN_WDF_PROGRAM_DMA EvtProgramDmaFunction, WDF_DMA_DIRECTION DmaDirection,
                                             PMDL Mdl, PVOID VirtualAddress, size_t Length, WDFREQUEST Request,
                                             const char *routine, const sim_site *site);
NTSTATUS spinsim_WdfDmaTransactionExecute(WDFDMATRANSACTION DmaTransaction, WDFCONTEXT Context, const sim_site *site);
BOOLEAN spinsim_WdfDmaTransactionDmaCompleted(WDFDMATRANSACTION DmaTransaction, size_t TransferredLength, BOOLEAN Final,
                                              NTSTATUS *Status, const char *routine, const sim_site *site);
NTSTATUS spinsim_WdfDmaTransactionRelease(WDFDMATRANSACTION DmaTransaction, const sim_site *site);
size_t spinsim_WdfDmaTransactionGetBytesTransferred(WDFDMATRANSACTION DmaTransaction, const sim_site *site);
size_t spinsim_WdfDmaTransactionGetCurrentDmaTransferLength(WDFDMATRANSACTION DmaTransaction, const sim_site *site);
WDFDEVICE spinsim_WdfDmaTransactionGetDevice(WDFDMATRANSACTION DmaTransaction, const sim_site *site);
WDFREQUEST spinsim_WdfDmaTransactionGetRequest(WDFDMATRANSACTION DmaTransaction, const sim_site *site);
VOID spinsim_WdfDmaTransactionSetMaximumLength(WDFDMATRANSACTION DmaTransaction, size_t MaximumLength,
                                               const sim_site *site);
VOID spinsim_WdfDmaTransactionSetSingleTransferRequirement(WDFDMATRANSACTION DmaTransaction,
                                                           BOOLEAN RequireSingleTransfer, const sim_site *site);

/* ---- the KMDF names ----------------------------------------------------------- */

#define WdfDmaEnablerCreate(Device, Config, Attributes, DmaEnablerHandle)                                              \
    spinsim_WdfDmaEnablerCreate((Device), (Config), (Attributes), (DmaEnablerHandle), SPINSIM_SITE)
#define WdfDmaEnablerSetMaximumScatterGatherElements(DmaEnabler, MaximumFragments)                                     \
    spinsim_WdfDmaEnablerSetMaximumScatterGatherElements((DmaEnabler), (MaximumFragments), SPINSIM_SITE)
#define WdfCommonBufferCreate(DmaEnabler, Length, Attributes, CommonBuffer)                                            \
    spinsim_WdfCommonBufferCreate((DmaEnabler), (Length), (Attributes), (CommonBuffer), SPINSIM_SITE)
#define WdfCommonBufferGetAlignedVirtualAddress(CommonBuffer)                                                          \
    spinsim_WdfCommonBufferGetAlignedVirtualAddress((CommonBuffer), SPINSIM_SITE)
#define WdfCommonBufferGetAlignedLogicalAddress(CommonBuffer)                                                          \
    spinsim_WdfCommonBufferGetAlignedLogicalAddress((CommonBuffer), SPINSIM_SITE)
#define WdfCommonBufferGetLength(CommonBuffer) spinsim_WdfCommonBufferGetLength((CommonBuffer), SPINSIM_SITE)
#define WdfDmaTransactionCreate(DmaEnabler, Attributes, DmaTransaction)                                                \
    spinsim_WdfDmaTransactionCreate((DmaEnabler), (Attributes), (DmaTransaction), SPINSIM_SITE)
#define WdfDmaTransactionInitialize(DmaTransaction, EvtProgramDmaFunction, DmaDirection, Mdl, VirtualAddress, Length)  \
    spinsim_WdfDmaTransactionInitialize((DmaTransaction), (EvtProgramDmaFunction), (DmaDirection), (Mdl),              \
                                        (VirtualAddress), (Length), NULL, "WdfDmaTransactionInitialize", SPINSIM_SITE)
#define WdfDmaTransactionInitializeUsingRequest(DmaTransaction, Request, EvtProgramDmaFunction, DmaDirection)          \
    spinsim_WdfDmaTransactionInitialize((DmaTransaction), (EvtProgramDmaFunction), (DmaDirection), NULL, NULL, 0,      \
                                        (Request), "WdfDmaTransactionInitializeUsingRequest", SPINSIM_SITE)
#define WdfDmaTransactionExecute(DmaTransaction, Context)                                                              \
    spinsim_WdfDmaTransactionExecute((DmaTransaction), (Context), SPINSIM_SITE)
#define WdfDmaTransactionDmaCompleted(DmaTransaction, Status)                                                          \
    spinsim_WdfDmaTransactionDmaCompleted((DmaTransaction), (size_t)-1, FALSE, (Status),                               \
                                          "WdfDmaTransactionDmaCompleted", SPINSIM_SITE)
#define WdfDmaTransactionDmaCompletedWithLength(DmaTransaction, TransferredLength, Status)                             \
    spinsim_WdfDmaTransactionDmaCompleted((DmaTransaction), (TransferredLength), FALSE, (Status),                      \
                                          "WdfDmaTransactionDmaCompletedWithLength", SPINSIM_SITE)
#define WdfDmaTransactionDmaCompletedFinal(DmaTransaction, FinalTransferredLength, Status)                             \
    spinsim_WdfDmaTransactionDmaCompleted((DmaTransaction), (FinalTransferredLength), TRUE, (Status),                  \
                                          "WdfDmaTransactionDmaCompletedFinal", SPINSIM_SITE)
#define WdfDmaTransactionRelease(DmaTransaction) spinsim_WdfDmaTransactionRelease((DmaTransaction), SPINSIM_SITE)
#define WdfDmaTransactionGetBytesTransferred(DmaTransaction)                                                           \
    spinsim_WdfDmaTransactionGetBytesTransferred((DmaTransaction), SPINSIM_SITE)
#define WdfDmaTransactionGetCurrentDmaTransferLength(DmaTransaction)                                                   \
    spinsim_WdfDmaTransactionGetCurrentDmaTransferLength((DmaTransaction), SPINSIM_SITE)
#define WdfDmaTransactionGetDevice(DmaTransaction) spinsim_WdfDmaTransactionGetDevice((DmaTransaction), SPINSIM_SITE)
#define WdfDmaTransactionGetRequest(DmaTransaction) spinsim_WdfDmaTransactionGetRequest((DmaTransaction), SPINSIM_SITE)
#define WdfDmaTransactionSetMaximumLength(DmaTransaction, MaximumLength)                                               \
    spinsim_WdfDmaTransactionSetMaximumLength((DmaTransaction), (MaximumLength), SPINSIM_SITE)
#define WdfDmaTransactionSetSingleTransferRequirement(DmaTransaction, RequireSingleTransfer)                           \
    spinsim_WdfDmaTransactionSetSingleTransferRequirement((DmaTransaction), (RequireSingleTransfer), SPINSIM_SITE)

#endif
