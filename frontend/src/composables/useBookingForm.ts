import { computed, ref, useTemplateRef } from 'vue'
import { useI18n } from 'vue-i18n'
import type { FormInst, FormRules } from 'naive-ui'
import type { Booking, Slot, TicketBookingInput } from '@/api/booking'
import { useErrorText } from '@/composables/useErrorText'
import { useAppStore } from '@/stores/app'
import { slotRange } from '@/utils/shanghai'
import type { ruleMakers } from '@/utils/rules'

/** The fields every booking form has: the chosen slot and who it is for. */
export interface BookingFields {
  slot: string | null
  name: string
  phone: string
  note: string
}

/** The slot, trimmed name and phone, and the note unless empty, as the host takes them. */
export type BookingContact = TicketBookingInput

export interface BookingFormOptions {
  /**
   * Lists the slots to offer for the form's current day, with the calendar's warnings for it;
   * null while the day is not known.
   */
  fetchSlots: () => Promise<{ slots: Slot[]; warnings?: string[] }> | null
  /** The slot to select once slots are listed, given the one selected now. */
  pickSlot: (slots: Slot[], current: string | null) => string | null
  /** Words after a slot's time and what is left in it. */
  slotSuffix?: (s: Slot) => string
  /** Sends the booking; null when there is nothing to book. */
  save: (contact: BookingContact) => Promise<Booking> | null
  onBooked: (booking: Booking) => void
}

/**
 * A slot as a select option: its time and what is left, disabled when full or when it has begun at
 * the host (a begun slot is history, whatever places it has left).
 */
export function slotOption(
  s: Slot,
  now: number,
  t: (key: string, named?: Record<string, unknown>) => string,
) {
  const begun = new Date(s.start).getTime() <= now
  return {
    value: s.start,
    disabled: begun || s.available <= 0,
    label:
      `${slotRange(s.start, s.end)}  ` +
      (begun
        ? t('booking.slotBegun')
        : s.available > 0
          ? t('booking.slotLeft', { n: s.available, c: s.capacity })
          : t('booking.slotFull')),
  }
}

/** Rules for the slot, name and phone fields, shared by every booking form. */
export function contactRules(r: ReturnType<typeof ruleMakers>, t: (key: string) => string) {
  return {
    slot: r.selected(t('booking.slot')),
    name: r.required(t('booking.name')),
    phone: r.required(t('booking.phone')),
  } satisfies FormRules
}

/**
 * The state and actions of a dialog that books a slot: the day's slots and their options, the
 * reset on opening, and a submit that shows the host's refusal and lists the slots again. The
 * dialog's NForm carries `ref="bookingForm"`.
 */
export function useBookingForm<M extends BookingFields>(model: M, opts: BookingFormOptions) {
  const { t } = useI18n()
  const errorText = useErrorText()
  const app = useAppStore()
  const formRef = useTemplateRef<FormInst>('bookingForm')
  const slots = ref<Slot[]>([])
  const dayNote = ref('')
  /** The day's year has no holiday arrangement: bookable as a weekday for now. */
  const dayWarnings = ref<string[]>([])
  const loadingSlots = ref(false)
  const saving = ref(false)
  const error = ref('')

  const slotOptions = computed(() => {
    const now = app.hostNow().getTime()
    return slots.value.map((s) => {
      const o = slotOption(s, now, t)
      return { ...o, label: o.label + (opts.slotSuffix?.(s) ?? '') }
    })
  })

  async function loadSlots() {
    slots.value = []
    dayNote.value = ''
    dayWarnings.value = []
    const listing = opts.fetchSlots()
    if (!listing) return
    loadingSlots.value = true
    try {
      const day = await listing
      slots.value = day.slots
      dayWarnings.value = day.warnings ?? []
      model.slot = opts.pickSlot(slots.value, model.slot)
      if (slots.value.length === 0) dayNote.value = t('booking.noSlots')
    } catch (err) {
      dayNote.value = errorText(err)
    } finally {
      loadingSlots.value = false
    }
  }

  /** Fills the form afresh for a new opening. */
  function reset(values: M) {
    Object.assign(model, values)
    error.value = ''
    slots.value = []
    formRef.value?.restoreValidation()
  }

  async function submit() {
    try {
      await formRef.value?.validate()
    } catch {
      return
    }
    if (!model.slot) return
    const sending = opts.save({
      slot_start: model.slot,
      name: model.name.trim(),
      phone: model.phone.trim(),
      note: model.note.trim() || undefined,
    })
    if (!sending) return
    saving.value = true
    error.value = ''
    try {
      opts.onBooked(await sending)
    } catch (err) {
      error.value = errorText(err)
      void loadSlots()
    } finally {
      saving.value = false
    }
  }

  return {
    formRef,
    slots,
    dayNote,
    dayWarnings,
    loadingSlots,
    saving,
    error,
    slotOptions,
    loadSlots,
    reset,
    submit,
  }
}
