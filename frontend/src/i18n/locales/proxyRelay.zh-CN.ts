// 代办件跨站转递: a village room's centre, and on a centre the cases village rooms handed to it
// through the county (issue 13). Kept in its own file beside the main locale file.
export default {
  centreTitle: '代办件送交中心',
  centreHint:
    '本服务室的代办件在“交中心”时经县平台转交给这个中心，中心受理和出结果后状态自动回传。',
  centreNone: '尚未选择：代办件只能当面交给中心。',
  centrePick: '选择中心',
  centreLoad: '从县平台获取中心列表',
  centreSave: '保存',
  centreSaved: '已选择“{name}”。',
  inboundTab: '村服务室转来',
  inboundEmpty: '没有村服务室转来的代办件',
  origin: '转自',
  received: '收到时间',
  accept: '受理',
  resultReady: '结果已出',
  moved: '已改为“{state}”，状态将回传给村服务室。',
}
