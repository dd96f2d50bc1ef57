/* wdf_dma.c owns KMDF DMA (wdfdma.h): the DMA enabler, common buffers and
 * DMA transactions.
 *
 * What it models: WdfCommonBufferCreate backs a buffer with zeroed memory
 * of the run, whose logical (device) address is made up, the same in every
 * run. A transaction is initialized (with an MDL and a length, or with a
 * request's buffer), executed, completed and released, in that order.
 * WdfDmaTransactionExecute raises to DISPATCH_LEVEL and calls the driver's
 * EvtProgramDma there with a one-element scatter/gather list for the next
 * transfer (at most the enabler's, or the transaction's, maximum length);
 * WdfDmaTransactionDmaCompleted and DmaCompletedWithLength count the
 * transfer done and, while bytes remain, call EvtProgramDma again for the
 * next one (at DISPATCH_LEVEL) and return FALSE; when none remain, or on
 * DmaCompletedFinal, they return TRUE with STATUS_SUCCESS. Each routine
 * checks its caller's IRQL (PASSIVE_LEVEL to create enablers and common
 * buffers, DISPATCH_LEVEL or below for the rest). Initializing a
 * transaction that is initialized and not released, executing one that is
 * not initialized, or completing a transfer that was not programmed is a
 * bug check 0x10D WDF_VIOLATION, as under KMDF's verifier. A transaction's
 * state is the framework's bookkeeping (its own lock on Windows): read and
 * written between steps, after each routine's step (LOCKS_BOOKKEEPING).
 *
 * What it leaves out: the device and its bus addresses (no data moves:
 * the device is the harness's), fragmentation (one element per transfer),
 * map registers and the single-transfer requirement (recorded, never
 * refused), system-mode DMA profiles, and the enabler's power callbacks. */
#include "lock_internal.h"
#include "sim.h"
#include "wdf_internal.h"

enum { WDF_VIOLATION = 0x10D };

/* Made-up logical addresses: one 16 MiB window per common buffer of an
 * enabler, and one per transaction transfer base, never a host address. */
static const LONGLONG COMMON_BUFFER_BASE = 0x100000000LL;
static const LONGLONG COMMON_BUFFER_STRIDE = 0x1000000LL;
static const LONGLONG TRANSFER_BASE = 0x200000000LL;

NTSTATUS spinsim_WdfDmaEnablerCreate(WDFDEVICE Device, PWDF_DMA_ENABLER_CONFIG Config,
                                     PWDF_OBJECT_ATTRIBUTES Attributes, WDFDMAENABLER *DmaEnablerHandle,
                                     const sim_site *site) {
    spinsim_routine_enter("WdfDmaEnablerCreate", PASSIVE_LEVEL, site);
    if (Config->MaximumLength == 0)
        return STATUS_INVALID_PARAMETER;
    wdf_object *enabler = wdf_new(WDF_DMA_ENABLER, Attributes, wdf_of(Device, WDF_DEVICE));
    enabler->enabler.config = *Config;
    *DmaEnablerHandle = (WDFDMAENABLER)enabler;
    return STATUS_SUCCESS;
}

VOID spinsim_WdfDmaEnablerSetMaximumScatterGatherElements(WDFDMAENABLER DmaEnabler, size_t MaximumFragments,
                                                          const sim_site *site) {
    spinsim_routine_enter("WdfDmaEnablerSetMaximumScatterGatherElements", PASSIVE_LEVEL, site);
    wdf_of(DmaEnabler, WDF_DMA_ENABLER)->enabler.maximum_fragments = MaximumFragments;
}

/* ---- common buffers ------------------------------------------------------------ */

NTSTATUS spinsim_WdfCommonBufferCreate(WDFDMAENABLER DmaEnabler, size_t Length, PWDF_OBJECT_ATTRIBUTES Attributes,
                                       WDFCOMMONBUFFER *CommonBuffer, const sim_site *site) {
    spinsim_routine_enter("WdfCommonBufferCreate", PASSIVE_LEVEL, site);
    wdf_object *enabler = wdf_of(DmaEnabler, WDF_DMA_ENABLER);
    if (Length == 0)
        return STATUS_INVALID_PARAMETER;
    wdf_object *buffer = wdf_new(WDF_COMMON_BUFFER, Attributes, enabler);
    buffer->common_buffer.virtual_address = sim_alloc(Length);
    buffer->common_buffer.length = Length;
    buffer->common_buffer.logical_address.QuadPart =
        COMMON_BUFFER_BASE + COMMON_BUFFER_STRIDE * enabler->enabler.common_buffers++;
    *CommonBuffer = (WDFCOMMONBUFFER)buffer;
    return STATUS_SUCCESS;
}

PVOID spinsim_WdfCommonBufferGetAlignedVirtualAddress(WDFCOMMONBUFFER CommonBuffer, const sim_site *site) {
    spinsim_routine_enter("WdfCommonBufferGetAlignedVirtualAddress", DISPATCH_LEVEL, site);
    return wdf_of(CommonBuffer, WDF_COMMON_BUFFER)->common_buffer.virtual_address;
}

PHYSICAL_ADDRESS spinsim_WdfCommonBufferGetAlignedLogicalAddress(WDFCOMMONBUFFER CommonBuffer, const sim_site *site) {
    spinsim_routine_enter("WdfCommonBufferGetAlignedLogicalAddress", DISPATCH_LEVEL, site);
    return wdf_of(CommonBuffer, WDF_COMMON_BUFFER)->common_buffer.logical_address;
}

size_t spinsim_WdfCommonBufferGetLength(WDFCOMMONBUFFER CommonBuffer, const sim_site *site) {
    spinsim_routine_enter("WdfCommonBufferGetLength", DISPATCH_LEVEL, site);
    return wdf_of(CommonBuffer, WDF_COMMON_BUFFER)->common_buffer.length;
}

/* ---- transactions ------------------------------------------------------------------ */

NTSTATUS spinsim_WdfDmaTransactionCreate(WDFDMAENABLER DmaEnabler, PWDF_OBJECT_ATTRIBUTES Attributes,
                                         WDFDMATRANSACTION *DmaTransaction, const sim_site *site) {
    spinsim_routine_enter("WdfDmaTransactionCreate", DISPATCH_LEVEL, site);
    wdf_object *enabler = wdf_of(DmaEnabler, WDF_DMA_ENABLER);
    wdf_object *transaction = wdf_new(WDF_DMA_TRANSACTION, Attributes, enabler);
    transaction->transaction.enabler = enabler;
    transaction->transaction.sg_list = sim_alloc(sizeof(SCATTER_GATHER_LIST) + sizeof(SCATTER_GATHER_ELEMENT));
    *DmaTransaction = (WDFDMATRANSACTION)transaction;
    return STATUS_SUCCESS;
}

LOCKS_BOOKKEEPING NTSTATUS spinsim_WdfDmaTransactionInitialize(WDFDMATRANSACTION DmaTransaction,
                                                               PFN_WDF_PROGRAM_DMA EvtProgramDmaFunction,
                                                               WDF_DMA_DIRECTION DmaDirection, PMDL Mdl,
                                                               PVOID VirtualAddress, size_t Length, WDFREQUEST Request,
                                                               const char *routine, const sim_site *site) {
    spinsim_routine_enter(routine, DISPATCH_LEVEL, site);
    wdf_object *transaction = wdf_of(DmaTransaction, WDF_DMA_TRANSACTION);
    if (transaction->transaction.initialized)
        locks_bug_check_because(WDF_VIOLATION, routine, "of a DMA transaction initialized and not released");
    size_t length = Length;
    wdf_object *request = NULL;
    if (Request != NULL) {
        request = wdf_of(Request, WDF_REQUEST);
        length = DmaDirection == WdfDmaDirectionWriteToDevice ? request->request.input_length
                                                              : request->request.output_length;
    } else if (Mdl == NULL || VirtualAddress == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    if (length == 0)
        return STATUS_INVALID_BUFFER_SIZE;
    transaction->transaction.initialized = TRUE;
    transaction->transaction.program = EvtProgramDmaFunction;
    transaction->transaction.direction = DmaDirection;
    transaction->transaction.request = request;
    transaction->transaction.length = length;
    transaction->transaction.transferred = 0;
    transaction->transaction.current = 0;
    return STATUS_SUCCESS;
}

/* The transfer limit: the transaction's own, else the enabler's. */
static size_t transfer_limit(const wdf_object *transaction) {
    return transaction->transaction.maximum_length != 0
               ? transaction->transaction.maximum_length
               : transaction->transaction.enabler->enabler.config.MaximumLength;
}

/* Programs the next transfer: EvtProgramDma at DISPATCH_LEVEL with one
 * scatter/gather element for it. */
LOCKS_BOOKKEEPING static BOOLEAN program_next_transfer(wdf_object *transaction) {
    const size_t remaining = transaction->transaction.length - transaction->transaction.transferred;
    const size_t limit = transfer_limit(transaction);
    transaction->transaction.current = remaining < limit ? remaining : limit;
    PSCATTER_GATHER_LIST list = transaction->transaction.sg_list;
    list->NumberOfElements = 1;
    list->Elements[0].Address.QuadPart = TRANSFER_BASE + (LONGLONG)transaction->transaction.transferred;
    list->Elements[0].Length = (ULONG)transaction->transaction.current;
    const KIRQL old = sim_irql_get();
    locks_irql_set(DISPATCH_LEVEL);
    const BOOLEAN programmed = transaction->transaction.program(
        (WDFDMATRANSACTION)transaction, (WDFDEVICE)transaction->transaction.enabler->parent,
        transaction->transaction.context, transaction->transaction.direction, list);
    locks_irql_set(old);
    return programmed;
}

LOCKS_BOOKKEEPING NTSTATUS spinsim_WdfDmaTransactionExecute(WDFDMATRANSACTION DmaTransaction, WDFCONTEXT Context,
                                                            const sim_site *site) {
    spinsim_routine_enter("WdfDmaTransactionExecute", DISPATCH_LEVEL, site);
    wdf_object *transaction = wdf_of(DmaTransaction, WDF_DMA_TRANSACTION);
    if (!transaction->transaction.initialized || transaction->transaction.executing)
        locks_bug_check_because(WDF_VIOLATION, "WdfDmaTransactionExecute",
                                transaction->transaction.executing ? "of a DMA transaction already executing"
                                                                   : "of a DMA transaction not initialized");
    transaction->transaction.executing = TRUE;
    transaction->transaction.context = Context;
    program_next_transfer(transaction);
    return STATUS_SUCCESS;
}

LOCKS_BOOKKEEPING BOOLEAN spinsim_WdfDmaTransactionDmaCompleted(WDFDMATRANSACTION DmaTransaction,
                                                                size_t TransferredLength, BOOLEAN Final,
                                                                NTSTATUS *Status, const char *routine,
                                                                const sim_site *site) {
    spinsim_routine_enter(routine, DISPATCH_LEVEL, site);
    wdf_object *transaction = wdf_of(DmaTransaction, WDF_DMA_TRANSACTION);
    if (!transaction->transaction.executing)
        locks_bug_check_because(WDF_VIOLATION, routine, "of a DMA transaction with no transfer programmed");
    const size_t done = TransferredLength == (size_t)-1 ? transaction->transaction.current : TransferredLength;
    transaction->transaction.transferred +=
        done < transaction->transaction.current ? done : transaction->transaction.current;
    transaction->transaction.current = 0;
    if (Final || transaction->transaction.transferred >= transaction->transaction.length) {
        transaction->transaction.executing = FALSE;
        *Status = STATUS_SUCCESS;
        return TRUE;
    }
    *Status = STATUS_MORE_PROCESSING_REQUIRED;
    program_next_transfer(transaction);
    return FALSE;
}

LOCKS_BOOKKEEPING NTSTATUS spinsim_WdfDmaTransactionRelease(WDFDMATRANSACTION DmaTransaction, const sim_site *site) {
    spinsim_routine_enter("WdfDmaTransactionRelease", DISPATCH_LEVEL, site);
    wdf_object *transaction = wdf_of(DmaTransaction, WDF_DMA_TRANSACTION);
    transaction->transaction.initialized = FALSE;
    transaction->transaction.executing = FALSE;
    transaction->transaction.request = NULL;
    return STATUS_SUCCESS;
}

LOCKS_BOOKKEEPING size_t spinsim_WdfDmaTransactionGetBytesTransferred(WDFDMATRANSACTION DmaTransaction,
                                                                      const sim_site *site) {
    spinsim_routine_enter("WdfDmaTransactionGetBytesTransferred", DISPATCH_LEVEL, site);
    return wdf_of(DmaTransaction, WDF_DMA_TRANSACTION)->transaction.transferred;
}

LOCKS_BOOKKEEPING size_t spinsim_WdfDmaTransactionGetCurrentDmaTransferLength(WDFDMATRANSACTION DmaTransaction,
                                                                              const sim_site *site) {
    spinsim_routine_enter("WdfDmaTransactionGetCurrentDmaTransferLength", DISPATCH_LEVEL, site);
    return wdf_of(DmaTransaction, WDF_DMA_TRANSACTION)->transaction.current;
}

WDFDEVICE spinsim_WdfDmaTransactionGetDevice(WDFDMATRANSACTION DmaTransaction, const sim_site *site) {
    spinsim_routine_enter("WdfDmaTransactionGetDevice", DISPATCH_LEVEL, site);
    return (WDFDEVICE)wdf_of(DmaTransaction, WDF_DMA_TRANSACTION)->transaction.enabler->parent;
}

LOCKS_BOOKKEEPING WDFREQUEST spinsim_WdfDmaTransactionGetRequest(WDFDMATRANSACTION DmaTransaction,
                                                                 const sim_site *site) {
    spinsim_routine_enter("WdfDmaTransactionGetRequest", DISPATCH_LEVEL, site);
    return (WDFREQUEST)wdf_of(DmaTransaction, WDF_DMA_TRANSACTION)->transaction.request;
}

LOCKS_BOOKKEEPING VOID spinsim_WdfDmaTransactionSetMaximumLength(WDFDMATRANSACTION DmaTransaction, size_t MaximumLength,
                                                                 const sim_site *site) {
    spinsim_routine_enter("WdfDmaTransactionSetMaximumLength", DISPATCH_LEVEL, site);
    wdf_of(DmaTransaction, WDF_DMA_TRANSACTION)->transaction.maximum_length = MaximumLength;
}

LOCKS_BOOKKEEPING VOID spinsim_WdfDmaTransactionSetSingleTransferRequirement(WDFDMATRANSACTION DmaTransaction,
                                                                             BOOLEAN RequireSingleTransfer,
                                                                             const sim_site *site) {
    spinsim_routine_enter("WdfDmaTransactionSetSingleTransferRequirement", DISPATCH_LEVEL, site);
    wdf_of(DmaTransaction, WDF_DMA_TRANSACTION)->transaction.single_transfer = RequireSingleTransfer;
}
