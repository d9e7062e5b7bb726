/** The four follow-ups of a bad rating: 回访, 整改, 申诉, 申诉裁定. */
export type FollowUp = 'returnCall' | 'rectify' | 'appeal' | 'decide'

export interface FollowUpInput {
  outcome: string
  note: string
  upheld: boolean
}
