import { request } from './transport'

/** 一件事一次办, 零材料提交, 跨省通办, 川渝通办, 高频, 自助办理. */
export type Tag =
  | 'one-thing-once'
  | 'zero-material'
  | 'cross-province'
  | 'sichuan-chongqing'
  | 'high-frequency'
  | 'self-service'

export type Level = 'village' | 'town' | 'county'

/** 原件, 复印件, 原件和复印件, 电子件. */
export type MaterialForm = 'original' | 'copy' | 'original_and_copy' | 'electronic'

export interface Material {
  name: string
  form: MaterialForm
  count: number
  required: boolean
  notes?: string
}

/** One row of a search or a list. */
export interface ItemSummary {
  code: string
  name: string
  department: string
  office: string
  phone: string
  /** The phone is a placeholder (0818-XXXXXXX) the county has yet to replace. */
  phone_pending: boolean
  levels: Level[]
  /** Working days; 0 = on the spot. */
  limit_days: number
  tags: Tag[]
}

/** The standard guide (办事指南) of one item, with the site's own note. */
export interface Guide extends Omit<ItemSummary, 'phone_pending'> {
  phone_pending: boolean
  decided_by?: string
  conditions?: string
  materials: Material[]
  steps: string[]
  fee: string
  basis: string[]
  local_note: string
  note_by?: string
  note_at?: string
}

export interface CatalogInfo {
  meta: {
    source: 'builtin' | 'county' | 'site'
    version: string
    published: string
    items: number
    loaded_at: string
  }
  departments: string[]
  tags: { tag: Tag; name: string }[]
  levels: { level: Level; name: string }[]
}

export interface SearchQuery {
  q?: string
  department?: string
  tag?: string
  level?: string
}

export interface SpecialList {
  tag: Tag
  name: string
  count: number
}

/** One office of the item map (事项地图). */
export interface MapOffice {
  department: string
  office: string
  phone: string
  phone_pending: boolean
  items: { code: string; name: string }[]
}

const id = (s: string) => encodeURIComponent(s)

function query(q: SearchQuery): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v)
  const s = p.toString()
  return s ? `?${s}` : ''
}

export const getCatalogInfo = () => request<CatalogInfo>('GET', '/api/v1/catalog')
/** Best match first; the server matches the name, full pinyin, initials, the code and the department. */
export const searchItems = (q: SearchQuery) =>
  request<ItemSummary[]>('GET', `/api/v1/catalog/items${query(q)}`)
export const getGuide = (code: string) => request<Guide>('GET', `/api/v1/catalog/items/${id(code)}`)
/** The site's own note (at most 500 characters); "" removes it. */
export const saveNote = (code: string, note: string) =>
  request<Guide>('PUT', `/api/v1/catalog/items/${id(code)}/note`, { note })
export const listSpecialLists = () => request<SpecialList[]>('GET', '/api/v1/catalog/lists')
export const getSpecialList = (tag: string) =>
  request<{ tag: Tag; name: string; items: ItemSummary[] }>(
    'GET',
    `/api/v1/catalog/lists/${id(tag)}`,
  )
export const getItemMap = () => request<MapOffice[]>('GET', '/api/v1/catalog/map')

/** Paths of the printable documents, for `src/api/pdf.ts`. */
export const guidePdfPath = (code: string) => `/api/v1/catalog/items/${id(code)}/guide.pdf`
export const listPdfPath = (tag: string) => `/api/v1/catalog/lists/${id(tag)}/list.pdf`
