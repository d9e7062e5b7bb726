// Proxy cases across sites (issue 13), beside proxyRelay.zh-CN.ts.
export default {
  centreTitle: 'Centre for proxy cases',
  centreHint:
    "This room's proxy cases go to this centre through the county when handed over; its acceptance and result come back by themselves.",
  centreNone: 'None chosen: cases can only be handed over in person.',
  centrePick: 'Choose a centre',
  centreLoad: 'Get the centres from the county',
  centreSave: 'Save',
  centreSaved: '"{name}" chosen.',
  inboundTab: 'From village rooms',
  inboundEmpty: 'No proxy cases from village rooms',
  origin: 'From',
  received: 'Received',
  accept: 'Accept',
  resultReady: 'Result ready',
  moved: 'Now "{state}"; the village room will be told.',
}
