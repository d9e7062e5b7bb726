import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { i18n } from './i18n'
import { createAppRouter } from './router'
import { notifyReady, onUnauthorized } from './api/transport'
import { useSessionStore } from './stores/session'
import './styles.css'

const app = createApp(App)
app.use(createPinia())
app.use(i18n)
const router = createAppRouter()
app.use(router)

// A 401 on a call made with a token means the session ended on the host: back to login.
onUnauthorized(() => {
  useSessionStore().clear()
  if (router.currentRoute.value.name !== 'login') void router.replace({ name: 'login' })
})

document.documentElement.lang = i18n.global.locale.value

void router.isReady().then(() => {
  app.mount('#app')
  notifyReady().catch((err: unknown) => console.error('Ready', err))
})
